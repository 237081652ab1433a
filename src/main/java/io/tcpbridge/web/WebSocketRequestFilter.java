package io.tcpbridge.web;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpbridge.problem.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code /ws} takes only a WebSocket handshake; anything else gets a problem detail, as
 * every other refusal does, instead of the empty or plain-text answers of Spring's handshake
 * handler: another method is a 405 with {@code Allow: GET}, a GET without
 * {@code Upgrade: websocket} a 400. A handshake is a GET, without a body: its Content-Type,
 * if a client sends one, is hidden from the handshake handler, which fails on a wildcard
 * such as {@code *}{@code /*}.
 */
final class WebSocketRequestFilter extends OncePerRequestFilter {

	static final String PATH = "/ws";

	/** Each link's own, as a path pattern. */
	static final String LINK_PATHS = "/links/*/ws";

	private static final Pattern LINK_PATH = Pattern.compile("/links/([^/]+)/ws");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !PATH.equals(path) && !LINK_PATH.matcher(path).matches();
	}

	/** The link a WebSocket path names; {@code null} for {@code /ws}, the default link's. */
	static @Nullable String linkOf(String path) {
		Matcher matcher = LINK_PATH.matcher(path);
		return matcher.matches() ? matcher.group(1) : null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!"GET".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "GET");
			Problems.write(response, HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
					PATH + " takes only a WebSocket handshake: GET with Upgrade: websocket, as a WebSocket client sends it");
			return;
		}
		if (!"websocket".equalsIgnoreCase(request.getHeader(HttpHeaders.UPGRADE))) {
			Problems.write(response, HttpStatus.BAD_REQUEST, "Not a WebSocket handshake",
					PATH + " takes only a WebSocket handshake, with Upgrade: websocket and Connection: Upgrade; "
							+ "use a WebSocket client, or GET /stream for Server-Sent Events");
			return;
		}
		chain.doFilter((request.getContentType() != null) ? new WithoutContentType(request) : request, response);
	}

	/** The handshake as the client sent it, less the Content-Type that a request without a body has no use for. */
	private static final class WithoutContentType extends HttpServletRequestWrapper {

		WithoutContentType(HttpServletRequest request) {
			super(request);
		}

		@Override
		public @Nullable String getContentType() {
			return null;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? null : super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? Collections.emptyEnumeration() : super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			return Collections.enumeration(Collections.list(super.getHeaderNames())
				.stream()
				.filter((header) -> !HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(header))
				.toList());
		}

	}

}
