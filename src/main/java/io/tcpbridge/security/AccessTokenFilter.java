package io.tcpbridge.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Pattern;

import io.tcpbridge.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets in only who holds a token, when tokens are set: {@code Authorization: Bearer <token>},
 * or {@code ?access_token=} on the streams ({@code /stream}, {@code /ws}, {@code /links/<name>/stream|ws}), where browsers' EventSource and
 * WebSocket cannot set headers. A missing or unknown token is a 401, a token without the
 * right a 403, both as problem details. Tokens are compared in constant time and never logged.
 */
public class AccessTokenFilter extends OncePerRequestFilter {

	private static final String BEARER = "Bearer ";

	private static final Pattern LINK_STREAM = Pattern.compile("/links/[^/]+/(stream|ws)");

	private static final Pattern LINK_SEND = Pattern.compile("/links/[^/]+/send");

	private final List<byte[]> readTokens;

	private final List<byte[]> writeTokens;

	private final List<byte[]> metricsTokens;

	AccessTokenFilter(SecurityProperties properties) {
		this.readTokens = bytes(properties.readTokens());
		this.writeTokens = bytes(properties.writeTokens());
		this.metricsTokens = bytes(properties.metricsTokens());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		// decoded and normalised, without ;parameters: the path Spring MVC will match, not the raw URI
		String path = request.getServletPath() + ((request.getPathInfo() != null) ? request.getPathInfo() : "");
		if (isOpen(path) || CorsUtils.isPreFlightRequest(request)) {
			chain.doFilter(request, response);
			return;
		}
		String token = token(request, path);
		if (token == null) {
			refuse(response, HttpStatus.UNAUTHORIZED, "Token required",
					"Send a token as 'Authorization: Bearer <token>'" + (streaming(path) ? " or ?access_token=" : ""));
			return;
		}
		byte[] presented = token.getBytes(StandardCharsets.UTF_8);
		boolean write = matches(presented, this.writeTokens);
		boolean read = write | matches(presented, this.readTokens);
		boolean metrics = matches(presented, this.metricsTokens);
		Access needed = needed(request.getMethod(), path);
		boolean allowed = switch (needed) {
			case READ -> read;
			case WRITE -> write;
			case METRICS -> metrics;
		};
		if (!read && !write && !metrics) {
			refuse(response, HttpStatus.UNAUTHORIZED, "Unknown token", "The token is not one of this bridge's");
			return;
		}
		if (!allowed) {
			refuse(response, HttpStatus.FORBIDDEN, "Not allowed", "This token may not " + switch (needed) {
				case READ -> "read";
				case WRITE -> "send or control the link: that takes a write token";
				case METRICS -> "scrape metrics: that takes a metrics token";
			});
			return;
		}
		request.setAttribute(Access.ATTRIBUTE, write ? Access.WRITE : (needed == Access.METRICS) ? Access.METRICS : Access.READ);
		chain.doFilter(request, response);
	}

	private static boolean isOpen(String path) {
		return path.equals("/actuator/health") || path.startsWith("/actuator/health/") || path.equals("/actuator/info")
				|| path.equals("/") || path.equals("/index.html") || path.equals("/console.js")
				|| path.equals("/console.css") || path.equals("/favicon.ico") || path.equals("/error");
	}

	private static boolean streaming(String path) {
		return path.equals("/stream") || path.equals("/ws") || LINK_STREAM.matcher(path).matches();
	}

	private static Access needed(String method, String path) {
		if (path.equals("/actuator/prometheus")) {
			return Access.METRICS;
		}
		if (path.equals("/send") || LINK_SEND.matcher(path).matches() || (!HttpMethod.GET.matches(method)
				&& (path.startsWith("/api/connection/") || path.startsWith("/api/links/")))) {
			return Access.WRITE;
		}
		return Access.READ;
	}

	private static @Nullable String token(HttpServletRequest request, String path) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			return header.substring(BEARER.length()).strip();
		}
		return streaming(path) ? request.getParameter("access_token") : null;
	}

	/** Compares with every token, in constant time for each, and without stopping at a match. */
	private static boolean matches(byte[] presented, List<byte[]> tokens) {
		boolean match = false;
		for (byte[] token : tokens) {
			match |= MessageDigest.isEqual(presented, token);
		}
		return match;
	}

	private static void refuse(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		if (status == HttpStatus.UNAUTHORIZED) {
			response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tcp-bridge\"");
		}
		Problems.write(response, status, title, detail);
	}

	private static List<byte[]> bytes(List<String> tokens) {
		return tokens.stream().map((token) -> token.getBytes(StandardCharsets.UTF_8)).toList();
	}

}
