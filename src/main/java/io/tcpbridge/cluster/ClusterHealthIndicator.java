package io.tcpbridge.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Health component {@code cluster}: UP while this replica reaches Redis and reads every
 * link's stream, with its node id and the links it holds; DOWN with Redis' fault, as its
 * last command found it (a wrong password, a port that is not Redis', a Redis that is down).
 * It asks Redis nothing itself, so a probe never waits on Redis.
 */
final class ClusterHealthIndicator implements HealthIndicator {

	private final ClusterLinks links;

	private final ClusterFaults faults;

	ClusterHealthIndicator(ClusterLinks links, ClusterFaults faults) {
		this.links = links;
		this.faults = faults;
	}

	@Override
	public Health health() {
		Map<String, String> byLink = new LinkedHashMap<>();
		boolean allRead = true;
		for (ClusterLink link : this.links.all()) {
			allRead &= link.tail().joined();
			StateEntry state = link.tail().latestState();
			byLink.put(link.name(), link.leadership().leads() ? "held here"
					: (state != null) ? "held by " + state.node() : "not held yet");
		}
		ClusterFaults.Fault fault = this.faults.current();
		Health.Builder health = (fault == null && allRead) ? Health.up() : Health.down();
		health.withDetail("mode", "redis").withDetail("node", this.links.node().id()).withDetail("links", byLink);
		if (fault != null) {
			health.withDetail("redis", fault.message()).withDetail("redisFailingSince", fault.since());
		}
		else if (!allRead) {
			health.withDetail("redis", "joining the links' streams");
		}
		return health.build();
	}

}
