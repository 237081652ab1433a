package io.tcpbridge.security;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** Which links the request's token may read, for the answers that list links. */
public final class ReadableLinks {

	private ReadableLinks() {
	}

	/** Whether the current request may read {@code link}: any link, on an open bridge. */
	public static boolean mayRead(String link) {
		Authentication token = SecurityContextHolder.getContext().getAuthentication();
		if (token == null || token instanceof AnonymousAuthenticationToken) {
			return true;
		}
		return Grants.of(token.getAuthorities()).allow(Access.READ, link);
	}

}
