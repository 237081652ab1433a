package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.ZSetOperations;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Spreads the links over the replicas. Each second a replica renews itself among the
 * cluster's live replicas (a sorted set in Redis, each entry scored by when it lapses, one
 * lock-ttl after its renewal), and takes its share: the links divided by the live
 * replicas, rounded up. It competes for the links it does not hold only while it holds
 * fewer than its share; holding more, it hands one over each second, as it would at
 * shutdown, to a replica under its share. A link that no replica holds always has one
 * competing for it: the shares add up to at least the links.
 *
 * <p>A replica that is lost stays among the live ones until its entry lapses, about when
 * its locks do; the others' shares grow then, and they compete for its links.
 */
final class LinkSpread {

	private static final Log logger = LogFactory.getLog(LinkSpread.class);

	private static final Duration EVERY = Duration.ofSeconds(1);

	private final ClusterLinks links;

	private final StringRedisTemplate redis;

	private final String key;

	private final Duration lapse;

	private final ClusterFaults faults;

	private @Nullable ThreadPoolTaskScheduler thread;

	LinkSpread(ClusterLinks links, ClusterProperties properties, StringRedisTemplate redis, ClusterFaults faults) {
		this.links = links;
		this.redis = redis;
		this.key = LinkKeys.replicas(properties.name());
		this.lapse = properties.lockTtl();
		this.faults = faults;
	}

	synchronized void start() {
		ThreadPoolTaskScheduler thread = new ThreadPoolTaskScheduler();
		thread.setThreadNamePrefix("cluster-spread-");
		// a handover under way ends before the shutdown's own
		thread.setWaitForTasksToCompleteOnShutdown(true);
		thread.setAwaitTerminationSeconds(5);
		thread.initialize();
		thread.scheduleWithFixedDelay(this::spread, EVERY);
		this.thread = thread;
	}

	/** Spreads no more; the links' leaderships are this replica's to stop. */
	synchronized void stop() {
		if (this.thread != null) {
			this.thread.shutdown();
			this.thread = null;
		}
		try {
			this.redis.opsForZSet().remove(this.key, this.links.node().id());
		}
		catch (DataAccessException ex) {
			// its entry lapses by itself
		}
	}

	private void spread() {
		int share;
		try {
			share = share();
		}
		catch (DataAccessException ex) {
			// without Redis this replica holds nothing anyway; it competes again when Redis answers
			this.faults.failed("renewing this replica among the cluster's live replicas", ex);
			return;
		}
		List<ClusterLink> held = this.links.all().stream().filter((link) -> link.leadership().leads()).toList();
		if (held.size() > share) {
			ClusterLink over = held.get(held.size() - 1);
			logger.info("Link " + over.name() + ": this replica holds " + held.size() + " links, over its share of "
					+ share + "; it hands this one over");
			over.leadership().handOver("Replica " + this.links.node().id() + " holds more than its share of the "
					+ "cluster's links and hands this one over");
		}
		boolean underShare = held.size() < share;
		for (ClusterLink link : this.links.all()) {
			if (link.leadership().leads()) {
				continue;
			}
			boolean competes = link.leadership().competes();
			if (underShare && !competes) {
				link.leadership().start();
			}
			else if (!underShare && competes) {
				link.leadership().stop();
			}
		}
	}

	/** Renews this replica among the live ones; its share of the links. */
	private int share() {
		long now = System.currentTimeMillis();
		ZSetOperations<String, String> replicas = this.redis.opsForZSet();
		replicas.add(this.key, this.links.node().id(), now + this.lapse.toMillis());
		replicas.removeRangeByScore(this.key, 0, now);
		Long live = replicas.zCard(this.key);
		int count = (live == null || live < 1) ? 1 : live.intValue();
		return (this.links.all().size() + count - 1) / count;
	}

}
