package io.tcpbridge.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may use the bridge. With no token set the bridge is open, for a bridge on a private
 * network; with any set, every endpoint but health and info needs one.
 *
 * @param readTokens tokens that may subscribe (/stream, /ws) and read GET /api/connection;
 * comma-separated
 * @param writeTokens tokens that may do all a read token may, and send (POST /send, messages on
 * /ws) and use the operator controls; comma-separated
 * @param metricsTokens tokens that may scrape /actuator/prometheus; comma-separated
 * @param allowedOrigins browser origins, besides the bridge's own, that may open /ws and call
 * the API (CORS); none by default
 */
@ConfigurationProperties("bridge.security")
public record SecurityProperties(@DefaultValue List<String> readTokens, @DefaultValue List<String> writeTokens,
		@DefaultValue List<String> metricsTokens, @DefaultValue List<String> allowedOrigins) {

	public SecurityProperties {
		readTokens = nonBlank(readTokens);
		writeTokens = nonBlank(writeTokens);
		metricsTokens = nonBlank(metricsTokens);
		allowedOrigins = nonBlank(allowedOrigins);
	}

	private static List<String> nonBlank(List<String> values) {
		return (values == null) ? List.of() : values.stream().map(String::strip).filter((v) -> !v.isEmpty()).toList();
	}

	/** Whether any token is set, and so every endpoint but health and info needs one. */
	public boolean enabled() {
		return !this.readTokens.isEmpty() || !this.writeTokens.isEmpty() || !this.metricsTokens.isEmpty();
	}

}
