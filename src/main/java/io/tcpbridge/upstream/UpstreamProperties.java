package io.tcpbridge.upstream;

import java.time.Duration;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the upstream server is and how the bridge keeps its one connection to it alive.
 *
 * @param host the upstream server's host name or address
 * @param port the upstream server's TCP port
 * @param connectTimeout how long one connection attempt may take
 * @param soKeepAlive whether the operating system sends TCP keepalive probes on the idle link
 * @param soTcpNoDelay whether each frame is sent at once (TCP_NODELAY), rather than held by
 * the operating system while an earlier one is not yet acknowledged (Nagle's algorithm);
 * off by default, since many small sends then share segments: {@code POST /send} under load
 * was a third slower with it on
 * @param reconnect how the wait between connection attempts grows
 * @param writeTimeout a write to the upstream that has not completed in this long means the
 * upstream stopped reading: the connection is closed and replaced, and the writers get an
 * error instead of waiting for ever; 0 never gives up
 * @param idleTimeout no byte received for this long and the link is presumed dead, closed and
 * replaced; 0 (the default) never presumes so
 * @param heartbeat a frame written whenever nothing was sent for a while, so that an idle
 * link is exercised and a dead one found
 * @param keepAlive the operating system's TCP keepalive timing, where it lets the JDK set it;
 * unset values keep the system's defaults
 * @param onConnect frames written first on every connect and reconnect, before any other, e.g. a
 * login or subscribe command: text, or bytes after base64: or hex:
 * @param tls TLS to the upstream
 */
@Validated
@ConfigurationProperties("bridge.upstream")
public record UpstreamProperties(@DefaultValue("127.0.0.1") @NotBlank String host,
		@DefaultValue("10240") @Min(1) @Max(65535) int port,
		@DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("true") boolean soKeepAlive,
		@DefaultValue("false") boolean soTcpNoDelay,
		@DefaultValue @NotNull @Valid Reconnect reconnect,
		@DefaultValue("10s") @NotNull @DurationMin(millis = 0) Duration writeTimeout,
		@DefaultValue("0s") @NotNull @DurationMin(millis = 0) Duration idleTimeout,
		@DefaultValue @NotNull @Valid Heartbeat heartbeat,
		@DefaultValue @NotNull @Valid KeepAlive keepAlive,
		@DefaultValue List<String> onConnect,
		@DefaultValue @NotNull @Valid Tls tls) {

	public UpstreamProperties {
		if (onConnect != null) {
			for (int i = 0; i < onConnect.size(); i++) {
				try {
					FrameLiteral.parse(onConnect.get(i));
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("bridge.upstream.on-connect[" + i + "] is not valid: " + ex.getMessage());
				}
			}
		}
	}

	/** The frames written first on every connect. */
	public List<byte[]> onConnectFrames() {
		return this.onConnect.stream().map(FrameLiteral::parse).toList();
	}

	/** The address as operators read it, {@code host:port}. */
	public String address() {
		return this.host + ":" + this.port;
	}

	/**
	 * TLS to the upstream, with the trust store (and, for mutual TLS, the key store) of a
	 * Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>} or {@code .jks.<name>}).
	 *
	 * @param enabled whether the link speaks TLS
	 * @param bundle the SSL bundle to use; without one, the JVM's default trust store
	 * @param verifyHostname whether the upstream's certificate must name the host connected to
	 */
	public record Tls(@DefaultValue("false") boolean enabled, @Nullable String bundle,
			@DefaultValue("true") boolean verifyHostname) {
	}

	/**
	 * A frame written when nothing was sent for {@code interval}.
	 *
	 * @param interval how long the link may go without a write; 0 (the default) sends no heartbeat
	 * @param payload the frame: text, or bytes after base64: or hex:
	 */
	public record Heartbeat(@DefaultValue("0s") @NotNull @DurationMin(millis = 0) Duration interval,
			@DefaultValue("") @NotNull String payload) {

		public Heartbeat {
			if (interval != null && !interval.isZero() && (payload == null || payload.isEmpty())) {
				throw new IllegalArgumentException("bridge.upstream.heartbeat.payload must be set when "
						+ "bridge.upstream.heartbeat.interval is");
			}
			if (payload != null) {
				try {
					FrameLiteral.parse(payload);
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalArgumentException("bridge.upstream.heartbeat.payload is not valid: " + ex.getMessage());
				}
			}
		}

		boolean enabled() {
			return !this.interval.isZero();
		}

		byte[] frame() {
			return FrameLiteral.parse(this.payload);
		}

	}

	/**
	 * TCP keepalive timing (Linux, macOS), used when {@code so-keep-alive} is on.
	 *
	 * @param idle how long the connection is idle before the first probe; whole seconds
	 * @param interval the time between probes; whole seconds
	 * @param count how many unanswered probes close the connection
	 */
	public record KeepAlive(@Nullable @DurationMin(seconds = 1) Duration idle,
			@Nullable @DurationMin(seconds = 1) Duration interval, @Nullable @Min(1) @Max(127) Integer count) {
	}

	/**
	 * The wait before each new connection attempt: exponential, with jitter, capped, and
	 * back to the start once a connection has stayed up.
	 *
	 * @param initialDelay the wait before the first attempt after a connection is lost
	 * @param maxDelay the longest wait between two attempts
	 * @param multiplier how much the wait grows after each failed attempt
	 * @param jitter the fraction by which each wait is varied at random, so that many
	 * bridges do not knock at once
	 * @param resetAfter how long a connection must stay up for the wait to start again from
	 * the initial delay when it is lost
	 */
	public record Reconnect(@DefaultValue("100ms") @NotNull @DurationMin(millis = 1) Duration initialDelay,
			@DefaultValue("30s") @NotNull Duration maxDelay,
			@DefaultValue("2") @DecimalMin("1.0") double multiplier,
			@DefaultValue("0.2") @DecimalMin("0.0") @DecimalMax("1.0") double jitter,
			@DefaultValue("5s") @NotNull @DurationMin(millis = 0) Duration resetAfter) {

		public Reconnect {
			if (initialDelay != null && maxDelay != null && maxDelay.compareTo(initialDelay) < 0) {
				throw new IllegalArgumentException("bridge.upstream.reconnect.max-delay (" + maxDelay
						+ ") must not be shorter than bridge.upstream.reconnect.initial-delay (" + initialDelay + ")");
			}
		}

	}

}
