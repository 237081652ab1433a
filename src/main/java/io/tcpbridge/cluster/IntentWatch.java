package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.TaskScheduler;

/**
 * Each second, the holder of each link reads the operator's intent for it from Redis and
 * follows it: a stop or start asked of another replica reaches the link.
 */
final class IntentWatch {

	private static final Duration EVERY = Duration.ofSeconds(1);

	private final ClusterLinks links;

	private final TaskScheduler scheduler;

	private final ClusterFaults faults;

	private @Nullable ScheduledFuture<?> schedule;

	IntentWatch(ClusterLinks links, TaskScheduler scheduler, ClusterFaults faults) {
		this.links = links;
		this.scheduler = scheduler;
		this.faults = faults;
	}

	synchronized void start() {
		this.schedule = this.scheduler.scheduleWithFixedDelay(this::check, EVERY);
	}

	synchronized void stop() {
		if (this.schedule != null) {
			this.schedule.cancel(false);
			this.schedule = null;
		}
	}

	private void check() {
		for (ClusterLink link : this.links.all()) {
			try {
				link.leadership().applyIntent();
			}
			catch (DataAccessException ex) {
				this.faults.failed("reading the intent for link " + link.name(), ex);
			}
		}
	}

}
