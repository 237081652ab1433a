package io.tcpbridge.observability;

import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.tcpbridge.upstream.LinkStatus;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * One link's part of the health component {@code upstream} ({@code upstream/<name>}): UP
 * while the link is connected, DOWN otherwise, with what an operator needs to know why.
 */
class UpstreamHealthIndicator implements HealthIndicator {

	private final Supplier<LinkStatus> link;

	UpstreamHealthIndicator(Supplier<LinkStatus> link) {
		this.link = link;
	}

	@Override
	public Health health() {
		LinkStatus status = this.link.get();
		Health.Builder health = status.connected() ? Health.up() : Health.down();
		health.withDetail("state", status.state())
			.withDetail("upstream", status.host() + ":" + status.port())
			.withDetail("framing", status.framing());
		if (status.heldBy() != null) {
			health.withDetail("heldBy", status.heldBy());
		}
		if (status.connectedSince() != null) {
			health.withDetail("connectedSince", status.connectedSince());
		}
		if (status.lastError() != null) {
			health.withDetail("lastError", status.lastError());
		}
		if (status.lastFrameIn() != null) {
			health.withDetail("secondsSinceLastFrame",
					Duration.between(status.lastFrameIn(), Instant.now()).toMillis() / 1000.0);
		}
		if (!status.connected()) {
			health.withDetail("reconnectAttempts", status.reconnectAttempts());
			health.withDetail("backoffDelay", status.backoffDelay().toMillis() + "ms");
		}
		if (status.nextAttemptAt() != null) {
			health.withDetail("nextAttemptAt", status.nextAttemptAt());
		}
		return health.build();
	}

}
