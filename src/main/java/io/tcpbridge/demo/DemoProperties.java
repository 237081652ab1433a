package io.tcpbridge.demo;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded demo upstream, so that the bridge shows frames flowing with nothing else
 * installed.
 *
 * @param enabled whether to start the demo upstream; turn it off to use a real upstream
 * @param port the port it listens on, on 127.0.0.1 only; bridge.upstream.port must match
 * @param tickInterval how often it sends a {@code tick <n>} frame
 */
@Validated
@ConfigurationProperties("bridge.demo")
public record DemoProperties(@DefaultValue("true") boolean enabled,
		@DefaultValue("10240") @Min(1) @Max(65535) int port,
		@DefaultValue("1s") @NotNull @DurationMin(millis = 1) Duration tickInterval) {
}
