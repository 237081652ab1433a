package io.tcpbridge.security;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

import io.tcpbridge.links.Links;
import io.tcpbridge.problem.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Every refusal of the security chain as a problem detail that says which: no token (401
 * Token required), a token that is not the bridge's (Unknown token), a JWT expired, with a
 * wrong signature, audience or issuer (each its own 401), a token without the scope the
 * request needs (403 Not allowed, naming the scope), a path the firewall refuses (400).
 */
final class SecurityProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

	private final Links links;

	SecurityProblems(Links links) {
		this.links = links;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException failure)
			throws IOException {
		response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"tcp-bridge\"");
		if (!(failure instanceof InvalidBearerTokenException)) {
			boolean stream = RequiredAccess.of(request, this.links).stream();
			Problems.write(response, HttpStatus.UNAUTHORIZED, "Token required",
					"Send a token as 'Authorization: Bearer <token>'" + (stream ? " or ?access_token=" : ""));
			return;
		}
		if (StaticTokens.UNKNOWN.equals(failure.getMessage())) {
			Problems.write(response, HttpStatus.UNAUTHORIZED, "Unknown token", StaticTokens.UNKNOWN);
			return;
		}
		List<String> errors = errors(failure);
		String all = String.join("; ", errors);
		String title = matches(errors, "expired") ? "Token expired"
				: matches(errors, "aud") ? "Wrong audience"
				: matches(errors, "iss") ? "Wrong issuer"
				: matches(errors, "signature") ? "Invalid token signature" : "Invalid token";
		Problems.write(response, HttpStatus.UNAUTHORIZED, title, "The JWT was refused: " + all);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		Problems.write(response, HttpStatus.FORBIDDEN, "Not allowed",
				"This token may not " + RequiredAccess.of(request, this.links).lacking());
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
			throws IOException {
		Problems.write(response, HttpStatus.BAD_REQUEST, "Rejected path",
				"The path is not one this bridge serves as written (" + rejected.getMessage() + ")");
	}

	/** What the decoder found wrong, each error on its own. */
	private static List<String> errors(AuthenticationException failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof JwtValidationException invalid) {
				Collection<OAuth2Error> errors = invalid.getErrors();
				return errors.stream().map((error) -> (error.getDescription() != null) ? error.getDescription()
						: error.getErrorCode()).toList();
			}
		}
		return List.of(failure.getMessage());
	}

	private static boolean matches(List<String> errors, String word) {
		return errors.stream().anyMatch((error) -> error.toLowerCase(java.util.Locale.ROOT).contains(word));
	}

}
