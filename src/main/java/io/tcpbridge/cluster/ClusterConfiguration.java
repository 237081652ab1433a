package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkControl;
import io.tcpbridge.links.LinkStatuses;
import io.tcpbridge.links.Links;
import io.tcpbridge.links.LinksLifecycle;
import io.tcpbridge.stream.StreamProperties;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.integration.redis.util.RedisLockRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The bridge as one replica of several on Redis ({@code bridge.cluster.mode=redis}): for
 * every link, a lock that one replica holds at a time, and a stream in Redis that the
 * holder appends to and every replica serves its subscribers from.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "bridge.cluster.mode", havingValue = "redis")
class ClusterConfiguration {

	@Bean
	ClusterFaults clusterFaults() {
		return new ClusterFaults();
	}

	@Bean
	RedisLockRegistry clusterLocks(RedisConnectionFactory connections, ClusterProperties properties) {
		return new RedisLockRegistry(connections, LinkKeys.lockRegistry(properties.name()),
				properties.lockTtl().toMillis());
	}

	@Bean
	ClusterNode clusterNode(ClusterProperties properties, Environment environment) {
		return new ClusterNode(properties, environment.getProperty("server.port", Integer.class, 8080));
	}

	@Bean
	ClusterLinks clusterLinks(Links links, ClusterProperties properties, ClusterNode node, StringRedisTemplate redis,
			RedisConnectionFactory connections, RedisLockRegistry locks, ClusterFaults faults, Environment environment,
			MeterRegistry registry) {
		Duration block = readBlock(environment);
		List<ClusterLink> held = new ArrayList<>();
		for (Link link : links.all()) {
			LinkKeys keys = LinkKeys.of(properties.name(), link.name());
			LinkMeta meta = new LinkMeta(link.name(), keys, redis);
			StreamProperties stream = link.properties().stream();
			// the stream is the history, and room for a replica that falls behind as far as a subscriber may
			StreamAppender appender = new StreamAppender(link.name(), keys,
					(long) stream.historySize() + stream.subscriberQueue(), redis, faults, registry);
			StreamTail tail = new StreamTail(link.name(), meta, link.hub(), stream.historySize(), block, connections,
					faults, registry);
			LinkLeadership leadership = new LinkLeadership(link, meta, appender, node, locks, properties.lockTtl(),
					registry);
			held.add(new ClusterLink(link, meta, leadership, appender, tail));
		}
		return new ClusterLinks(node, held);
	}

	/** A read of the stream waits for new entries for half the command timeout, and at most a second. */
	private static Duration readBlock(Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind("spring.data.redis.timeout", Duration.class)
			.orElse(Duration.ofSeconds(2));
		Duration half = timeout.dividedBy(2);
		return (half.compareTo(Duration.ofSeconds(1)) < 0) ? half : Duration.ofSeconds(1);
	}

	/** Every replica reads the links' streams from its start; at shutdown, it stops with the hubs. */
	@Bean
	SmartLifecycle clusterStreams(ClusterLinks links) {
		return new LinksLifecycle(SmartLifecycle.DEFAULT_PHASE, () -> links.all().forEach((link) -> link.tail().start()),
				() -> links.all().forEach((link) -> link.tail().stop()));
	}

	/**
	 * Competes for this replica's share of the links where a bridge alone would connect them;
	 * hands them over on shutdown.
	 */
	@Bean
	SmartLifecycle clusterLeadership(ClusterLinks links, ClusterProperties properties, StringRedisTemplate redis,
			ClusterFaults faults) {
		LinkSpread spread = new LinkSpread(links, properties, redis, faults);
		return new LinksLifecycle(Links.CONNECTIONS_PHASE, () -> {
			links.all().forEach((link) -> link.appender().start());
			spread.start();
		}, () -> {
			spread.stop();
			links.all().parallelStream().forEach((link) -> {
				// the handover is appended before the lock is let go
				link.leadership().stop();
				link.appender().stop();
			});
		});
	}

	/** An operator's start or stop on another replica reaches the holder of the link within a second. */
	@Bean
	SmartLifecycle clusterIntents(ClusterLinks links, ThreadPoolTaskScheduler streamTimers, ClusterFaults faults) {
		IntentWatch watch = new IntentWatch(links, streamTimers, faults);
		return new LinksLifecycle(Links.CONNECTIONS_PHASE, watch::start, watch::stop);
	}

	@Bean
	LinkControl linkControl(ClusterLinks links) {
		return new ClusterLinkControl(links);
	}

	@Bean
	LinkStatuses linkStatuses(ClusterLinks links, ClusterFaults faults) {
		return new ClusterLinkStatuses(links, links.node(), faults);
	}

	/** Sends for a link another replica holds go to that replica; after the security chain has let them in. */
	@Bean
	FilterRegistrationBean<SendForwarding> sendForwarding(Links links, ClusterLinks cluster) {
		FilterRegistrationBean<SendForwarding> registration = new FilterRegistrationBean<>(
				new SendForwarding(links, cluster));
		registration.setOrder(0);
		return registration;
	}

	@Bean
	HealthIndicator clusterHealthIndicator(ClusterLinks links, ClusterFaults faults) {
		return new ClusterHealthIndicator(links, faults);
	}

}
