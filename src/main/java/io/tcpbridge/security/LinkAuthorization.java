package io.tcpbridge.security;

import java.util.function.Supplier;

import io.tcpbridge.links.Links;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/**
 * Lets a request through when its token's scopes allow what it does to its link
 * ({@link RequiredAccess}); and tells the WebSocket handshake whether its session may send.
 */
final class LinkAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

	private final Links links;

	LinkAuthorization(Links links) {
		this.links = links;
	}

	@Override
	public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
			RequestAuthorizationContext context) {
		Authentication token = authentication.get();
		if (token == null || !token.isAuthenticated() || token.getAuthorities().isEmpty()) {
			return new AuthorizationDecision(false);
		}
		Grants grants = Grants.of(token.getAuthorities());
		HttpServletRequest request = context.getRequest();
		RequiredAccess required = RequiredAccess.of(request, this.links);
		if (!grants.allow(required.access(), required.link())) {
			return new AuthorizationDecision(false);
		}
		request.setAttribute(Access.ATTRIBUTE, (required.access() == Access.METRICS) ? Access.METRICS
				: grants.allow(Access.WRITE, required.link()) ? Access.WRITE : Access.READ);
		return new AuthorizationDecision(true);
	}

}
