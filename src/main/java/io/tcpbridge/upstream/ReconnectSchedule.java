package io.tcpbridge.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * When the link tries to connect next: after an exponential, jittered, capped delay that
 * starts again from the initial delay once a connection has stayed up for
 * {@code reconnect.reset-after}. At most one attempt is pending at a time.
 *
 * <p>Not thread-safe: {@link UpstreamLink} calls it while holding its own lock.
 */
final class ReconnectSchedule {

	private final ExponentialBackOff backOff;

	private final Duration resetAfter;

	private final TaskScheduler scheduler;

	private final Clock clock;

	private BackOffExecution delays;

	private @Nullable ScheduledFuture<?> pending;

	private @Nullable Instant nextAttemptAt;

	private Duration currentDelay = Duration.ZERO;

	private Duration pendingDelay = Duration.ZERO;

	ReconnectSchedule(UpstreamProperties.Reconnect reconnect, TaskScheduler scheduler, Clock clock) {
		this.backOff = new ExponentialBackOff(reconnect.initialDelay().toMillis(), reconnect.multiplier());
		this.backOff.setMaxInterval(reconnect.maxDelay().toMillis());
		// Spring scales the jitter with the interval: a fraction of the initial delay stays
		// that fraction of every later delay
		this.backOff.setJitter(Math.round(reconnect.jitter() * reconnect.initialDelay().toMillis()));
		this.resetAfter = reconnect.resetAfter();
		this.scheduler = scheduler;
		this.clock = clock;
		this.delays = this.backOff.start();
	}

	/** Starts the delays again from the initial delay. */
	void restart() {
		this.delays = this.backOff.start();
		this.currentDelay = Duration.ZERO;
	}

	/** Schedules the attempt after the next delay, following an attempt that failed. */
	void afterFailure(Runnable attempt) {
		this.currentDelay = Duration.ofMillis(this.delays.nextBackOff());
		schedule(attempt, this.currentDelay);
	}

	/** Schedules the attempt after a connection that was up for the given time was lost. */
	void afterLoss(Runnable attempt, Duration connectedFor) {
		if (connectedFor.compareTo(this.resetAfter) >= 0) {
			restart();
		}
		afterFailure(attempt);
	}

	/** Schedules the attempt at once. */
	void now(Runnable attempt) {
		schedule(attempt, Duration.ZERO);
	}

	/** Drops the pending attempt, if any. */
	void cancel() {
		if (this.pending != null) {
			this.pending.cancel(false);
			this.pending = null;
		}
		this.nextAttemptAt = null;
	}

	/** Marks the pending attempt as under way. */
	void attemptStarted() {
		this.pending = null;
		this.nextAttemptAt = null;
	}

	/** The delay chosen after the latest failure or loss. */
	Duration currentDelay() {
		return this.currentDelay;
	}

	/** The wait chosen for the pending attempt, from when it was scheduled. */
	Duration pendingDelay() {
		return this.pendingDelay;
	}

	/** When the pending attempt is due; {@code null} when none is pending. */
	@Nullable Instant nextAttemptAt() {
		return this.nextAttemptAt;
	}

	private void schedule(Runnable attempt, Duration delay) {
		cancel();
		this.pendingDelay = delay;
		Instant at = this.clock.instant().plus(delay);
		this.nextAttemptAt = at;
		this.pending = this.scheduler.schedule(attempt, at);
	}

}
