package io.tcpbridge.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.web.authentication.preauth.PreAuthenticatedAuthenticationToken;

/**
 * The tokens of the configuration, each with the scopes it stands for: read, write and
 * metrics tokens for every link, and {@code bridge.security.tokens[i]} for the links it
 * names. Compared in constant time, with every token, and never logged. A token that is
 * none of them is left to the JWT decoder when there is one.
 */
final class StaticTokens {

	/** What {@link SecurityProblems} calls an unknown token. */
	static final String UNKNOWN = "The token is not one of this bridge's";

	private final List<Entry> entries = new ArrayList<>();

	private final boolean jwtToo;

	StaticTokens(SecurityProperties properties, boolean jwtToo) {
		this.jwtToo = jwtToo;
		properties.readTokens().forEach((token) -> add(token, Access.READ.scope()));
		properties.writeTokens().forEach((token) -> add(token, Access.WRITE.scope()));
		properties.metricsTokens().forEach((token) -> add(token, Access.METRICS.scope()));
		for (SecurityProperties.Token token : properties.tokens()) {
			if (token.links().isEmpty()) {
				add(token.value(), token.access().scope());
			}
			token.links().forEach((link) -> add(token.value(), token.access().scope(link)));
		}
	}

	private void add(String token, String scope) {
		this.entries.add(new Entry(token.getBytes(StandardCharsets.UTF_8), scope));
	}

	/**
	 * The scopes of the token presented; {@code null} for one that looks like a JWT, with a
	 * decoder to judge it.
	 * @throws InvalidBearerTokenException for any other token that is not one of these
	 */
	@Nullable Authentication authenticate(Authentication authentication) {
		byte[] presented = ((BearerTokenAuthenticationToken) authentication).getToken().getBytes(StandardCharsets.UTF_8);
		Set<String> scopes = new LinkedHashSet<>();
		for (Entry entry : this.entries) {
			if (MessageDigest.isEqual(presented, entry.token())) {
				scopes.add(entry.scope());
			}
		}
		if (!scopes.isEmpty()) {
			return new PreAuthenticatedAuthenticationToken("token", null,
					AuthorityUtils.createAuthorityList(scopes.toArray(String[]::new)));
		}
		if (this.jwtToo && looksLikeJwt(presented)) {
			// the decoder's to judge
			return null;
		}
		throw new InvalidBearerTokenException(UNKNOWN);
	}

	private static boolean looksLikeJwt(byte[] token) {
		int dots = 0;
		for (byte b : token) {
			dots += (b == '.') ? 1 : 0;
		}
		return dots == 2;
	}

	private record Entry(byte[] token, String scope) {
	}

}
