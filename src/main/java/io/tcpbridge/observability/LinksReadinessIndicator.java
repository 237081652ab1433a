package io.tcpbridge.observability;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkStatuses;
import io.tcpbridge.links.Links;
import io.tcpbridge.upstream.LinkState;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health component {@code links}, of the readiness group: UP while every link is connected
 * ({@code bridge.health.readiness=all}) or at least one ({@code any}), with each link's state.
 * Each link's details are in {@code upstream/<name>}.
 */
class LinksReadinessIndicator implements HealthIndicator {

	private final Links links;

	private final LinkStatuses statuses;

	private final HealthProperties.Readiness readiness;

	LinksReadinessIndicator(Links links, LinkStatuses statuses, HealthProperties.Readiness readiness) {
		this.links = links;
		this.statuses = statuses;
		this.readiness = readiness;
	}

	@Override
	public Health health() {
		Map<String, LinkState> states = new LinkedHashMap<>();
		long connected = 0;
		for (Link link : this.links.all()) {
			LinkState state = this.statuses.of(link).state();
			states.put(link.name(), state);
			connected += (state == LinkState.CONNECTED) ? 1 : 0;
		}
		boolean ready = (this.readiness == HealthProperties.Readiness.ALL) ? connected == states.size() : connected > 0;
		return (ready ? Health.up() : Health.down()).withDetail("readiness", this.readiness.name().toLowerCase(Locale.ROOT))
			.withDetail("connected", connected + " of " + states.size())
			.withDetail("links", states)
			.build();
	}

}
