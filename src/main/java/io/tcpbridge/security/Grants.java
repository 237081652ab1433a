package io.tcpbridge.security;

import java.util.Collection;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;

/**
 * What a token was found to allow: its scopes, whether a static token's or a JWT's. Write
 * allows read; a scope without a link is for every link.
 */
final class Grants {

	private final Set<String> scopes;

	private Grants(Set<String> scopes) {
		this.scopes = scopes;
	}

	static Grants of(Collection<? extends GrantedAuthority> authorities) {
		return new Grants(Set.copyOf(authorities.stream().map(GrantedAuthority::getAuthority).toList()));
	}

	/**
	 * Whether the token allows {@code access} to {@code link}; to some link, where
	 * {@code link} is {@code null} (the API description, the list of links).
	 */
	boolean allow(Access access, @Nullable String link) {
		return switch (access) {
			case METRICS -> this.scopes.contains(Access.METRICS.scope());
			case WRITE -> has(Access.WRITE, link);
			case READ -> has(Access.READ, link) || has(Access.WRITE, link);
		};
	}

	/** Whether it holds any scope of this bridge. */
	boolean any() {
		return this.scopes.stream().anyMatch((scope) -> scope.startsWith("bridge:"));
	}

	private boolean has(Access access, @Nullable String link) {
		if (this.scopes.contains(access.scope())) {
			return true;
		}
		if (link == null) {
			return this.scopes.stream().anyMatch((scope) -> scope.startsWith(access.scope() + ":"));
		}
		return this.scopes.contains(access.scope(link));
	}

}
