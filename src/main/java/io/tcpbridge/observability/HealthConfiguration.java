package io.tcpbridge.observability;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkStatuses;
import io.tcpbridge.links.Links;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health component {@code upstream}, with one child per link; and {@code links}, which the
 * readiness group holds: a dead upstream is a reason to take the bridge out of rotation, not
 * to restart it, so neither is in liveness.
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

	@Bean
	CompositeHealthContributor upstreamHealthContributor(Links links, LinkStatuses statuses) {
		Map<String, UpstreamHealthIndicator> byName = new LinkedHashMap<>();
		for (Link link : links.all()) {
			byName.put(link.name(), new UpstreamHealthIndicator(() -> statuses.of(link)));
		}
		return CompositeHealthContributor.fromMap(byName);
	}

	@Bean
	HealthIndicator linksHealthIndicator(Links links, LinkStatuses statuses, HealthProperties properties) {
		return new LinksReadinessIndicator(links, statuses, properties.readiness());
	}

}
