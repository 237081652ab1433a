package io.tcpbridge.upstream;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

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
 * @param reconnect how the wait between connection attempts grows
 */
@Validated
@ConfigurationProperties("bridge.upstream")
public record UpstreamProperties(@DefaultValue("127.0.0.1") @NotBlank String host,
		@DefaultValue("10240") @Min(1) @Max(65535) int port,
		@DefaultValue("5s") @NotNull @DurationMin(millis = 1) Duration connectTimeout,
		@DefaultValue("true") boolean soKeepAlive,
		@DefaultValue @NotNull @Valid Reconnect reconnect) {

	/** The address as operators read it, {@code host:port}. */
	public String address() {
		return this.host + ":" + this.port;
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
