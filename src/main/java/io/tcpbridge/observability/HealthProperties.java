package io.tcpbridge.observability;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What the bridge's readiness asks of its links.
 *
 * @param readiness all (the default): ready while every link is connected, for a bridge
 * whose clients need each of its upstreams; any: ready while at least one is, for a bridge
 * whose links are alternatives, or that is better up for some devices than for none
 */
@Validated
@ConfigurationProperties("bridge.health")
public record HealthProperties(@DefaultValue("all") @NotNull Readiness readiness) {

	/** Which links must be connected for the bridge to be ready. */
	public enum Readiness {

		/** Every link. */
		ALL,

		/** At least one link. */
		ANY

	}

}
