package io.tcpbridge.security;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the bridge. With no token set and no JWT issuer configured, the bridge is
 * open, for a bridge on a private network; otherwise every endpoint but health, info and
 * the console page needs a token.
 *
 * @param readTokens tokens that may subscribe to every link (/stream, /ws,
 * /links/{name}/stream|ws) and read its state; comma-separated
 * @param writeTokens tokens that may do all a read token may, and send to every link
 * (POST /send, /links/{name}/send, messages on its WebSocket) and use the operator
 * controls; comma-separated
 * @param metricsTokens tokens that may scrape /actuator/prometheus; comma-separated
 * @param tokens tokens with an access and, optionally, the links they are for
 * @param jwt JSON Web Tokens signed with a shared secret; for an identity provider's
 * tokens, set Boot's spring.security.oauth2.resourceserver.jwt.* instead
 * @param allowedOrigins browser origins, besides the bridge's own, that may open /ws and call
 * the API (CORS); none by default
 */
@ConfigurationProperties("bridge.security")
public record SecurityProperties(@DefaultValue List<String> readTokens, @DefaultValue List<String> writeTokens,
		@DefaultValue List<String> metricsTokens, @DefaultValue List<Token> tokens, @DefaultValue Jwt jwt,
		@DefaultValue List<String> allowedOrigins) {

	public SecurityProperties {
		readTokens = nonBlank(readTokens);
		writeTokens = nonBlank(writeTokens);
		metricsTokens = nonBlank(metricsTokens);
		allowedOrigins = nonBlank(allowedOrigins);
		tokens = (tokens == null) ? List.of() : List.copyOf(tokens);
		for (int i = 0; i < tokens.size(); i++) {
			Token token = tokens.get(i);
			if (token.value() == null || token.value().isBlank()) {
				throw new IllegalArgumentException("bridge.security.tokens[" + i + "].value must be set");
			}
			if (token.access() == null) {
				throw new IllegalArgumentException("bridge.security.tokens[" + i + "].access must be set: read, write "
						+ "or metrics");
			}
			if (token.access() == Access.METRICS && !token.links().isEmpty()) {
				throw new IllegalArgumentException("bridge.security.tokens[" + i + "].links cannot be set for a metrics "
						+ "token: the scrape holds every link");
			}
		}
	}

	private static List<String> nonBlank(List<String> values) {
		return (values == null) ? List.of() : values.stream().map(String::strip).filter((v) -> !v.isEmpty()).toList();
	}

	/** Whether any static token is set. */
	public boolean hasTokens() {
		return !this.readTokens.isEmpty() || !this.writeTokens.isEmpty() || !this.metricsTokens.isEmpty()
				|| !this.tokens.isEmpty();
	}

	/**
	 * A token, what it allows, and where.
	 *
	 * @param value the token, as clients send it after {@code Bearer }
	 * @param access read, write (read too) or metrics
	 * @param links the links it is for; none (the default) for every link
	 */
	public record Token(@Nullable String value, @Nullable Access access, @DefaultValue List<String> links) {

		public Token {
			links = (links == null) ? List.of() : List.copyOf(links);
		}

	}

	/**
	 * JWTs signed with a shared secret (HS256), checked for expiry, and for Boot's
	 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} and {@code .audiences} when
	 * set.
	 *
	 * @param hmacSecret the secret, at least 32 bytes; unset, no such tokens are taken
	 */
	public record Jwt(@Nullable String hmacSecret) {

		public Jwt {
			if (hmacSecret != null && hmacSecret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
				throw new IllegalArgumentException("bridge.security.jwt.hmac-secret must be at least 32 bytes for "
						+ "HS256, was " + hmacSecret.length());
			}
		}

	}

}
