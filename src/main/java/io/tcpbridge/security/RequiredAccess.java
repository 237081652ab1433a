package io.tcpbridge.security;

import io.tcpbridge.links.Links;
import io.tcpbridge.links.UnknownLinkException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpMethod;

/**
 * What a request needs of its token, read from its path: the access, and the link it is
 * about ({@code null} for none in particular). Today's routes are about the default link.
 *
 * @param access what it does
 * @param link the link it reads, sends to or controls
 * @param stream whether it is a stream, which takes the token as {@code ?access_token=} too
 */
record RequiredAccess(Access access, @Nullable String link, boolean stream) {

	private static final String ATTRIBUTE = RequiredAccess.class.getName();

	/** Everything but health, info and the console page, which are open. */
	static boolean isOpen(String path) {
		return path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/info")
				|| path.equals("/") || path.equals("/index.html") || path.equals("/console.js")
				|| path.equals("/console.css") || path.equals("/favicon.ico") || path.equals("/error");
	}

	/** The path Spring MVC will match: decoded and normalised, without {@code ;parameters}. */
	static String pathOf(HttpServletRequest request) {
		return request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
	}

	/** What {@code request} needs: read once from its path, and kept on it for the rest of the chain. */
	static RequiredAccess of(HttpServletRequest request, Links links) {
		if (request.getAttribute(ATTRIBUTE) instanceof RequiredAccess read) {
			return read;
		}
		RequiredAccess required = read(request, links);
		request.setAttribute(ATTRIBUTE, required);
		return required;
	}

	private static RequiredAccess read(HttpServletRequest request, Links links) {
		String path = pathOf(request);
		boolean get = HttpMethod.GET.matches(request.getMethod());
		if (path.equals("/actuator/prometheus")) {
			return new RequiredAccess(Access.METRICS, null, false);
		}
		String[] parts = path.split("/");
		// /links/{name}/stream|ws|send
		if (parts.length == 4 && parts[1].equals("links")) {
			boolean send = parts[3].equals("send");
			return new RequiredAccess(send ? Access.WRITE : Access.READ, parts[2], !send);
		}
		// /api/links/{name}[/stop|start|reconnect]
		if (parts.length >= 4 && parts[1].equals("api") && parts[2].equals("links")) {
			return new RequiredAccess(get ? Access.READ : Access.WRITE, parts[3], false);
		}
		return switch (path) {
			case "/send" -> new RequiredAccess(Access.WRITE, defaultLink(links), false);
			case "/stream", "/ws" -> new RequiredAccess(Access.READ, defaultLink(links), true);
			default -> path.startsWith("/api/connection")
					? new RequiredAccess(get ? Access.READ : Access.WRITE, defaultLink(links), false)
					: new RequiredAccess(Access.READ, null, false);
		};
	}

	private static @Nullable String defaultLink(Links links) {
		try {
			return links.defaultLink().name();
		}
		catch (UnknownLinkException ex) {
			// the route answers 404; a token for some link may learn that much
			return null;
		}
	}

	/** What a refusal says the token lacks. */
	String lacking() {
		String where = (this.link != null) ? " link " + this.link : " any link";
		return switch (this.access) {
			case READ -> "read" + where + ": that takes a read or write token for it (scope " + Access.READ.scope()
					+ ((this.link != null) ? " or " + Access.READ.scope(this.link) : "") + ")";
			case WRITE -> "send to or control" + where + ": that takes a write token for it (scope "
					+ Access.WRITE.scope() + ((this.link != null) ? " or " + Access.WRITE.scope(this.link) : "") + ")";
			case METRICS -> "scrape metrics: that takes a metrics token (scope " + Access.METRICS.scope() + ")";
		};
	}

}
