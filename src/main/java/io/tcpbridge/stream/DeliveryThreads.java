package io.tcpbridge.stream;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads that write to subscribers: as many as there are cores, plus one for each write
 * that has been under way for a while.
 *
 * <p>Few threads, because a thread per core stays busy while frames flow, where more threads
 * would each be woken for a frame or two: with 100 subscribers at 10,000 frames a second on
 * two cores, 16 threads gave a p99 delivery latency of about 100 ms and two threads about
 * 20 ms. But a subscriber whose client stopped reading blocks its thread in a write until the
 * server's idle timeout ends it, and a busy subscriber keeps its thread draining; so every
 * {@link #CHECK_INTERVAL} a task that has run longer than that gets a thread added in its
 * place, up to {@link #MAX_SPARE}, and the pool shrinks back once such tasks end.
 */
final class DeliveryThreads implements Executor, SmartLifecycle {

	static final Duration CHECK_INTERVAL = Duration.ofMillis(100);

	static final int MAX_SPARE = 16;

	private static final long IDLE = Long.MAX_VALUE;

	private final ThreadPoolTaskExecutor pool;

	private final int base;

	private final TaskScheduler scheduler;

	/** When each thread's task started, or {@link #IDLE}: set per task, so that a task allocates no entry. */
	private final Map<Thread, AtomicLong> runningSince = new ConcurrentHashMap<>();

	private volatile @Nullable ScheduledFuture<?> checks;

	/**
	 * @param pool the threads, with an unbounded queue and a core size of the base count,
	 * the maximum {@link #MAX_SPARE} more
	 */
	DeliveryThreads(ThreadPoolTaskExecutor pool, TaskScheduler scheduler) {
		this.pool = pool;
		this.base = pool.getCorePoolSize();
		this.scheduler = scheduler;
	}

	/** One thread per core, and at least two. */
	static int baseCount() {
		return Math.max(2, Runtime.getRuntime().availableProcessors());
	}

	@Override
	public void execute(Runnable task) {
		this.pool.execute(() -> {
			AtomicLong since = this.runningSince.computeIfAbsent(Thread.currentThread(), (thread) -> new AtomicLong(IDLE));
			since.set(System.nanoTime());
			try {
				task.run();
			}
			finally {
				since.set(IDLE);
			}
		});
	}

	/**
	 * Adds a thread for every task that has run longer than the check interval; drops them
	 * when they end, and forgets threads that are gone.
	 */
	void check() {
		long now = System.nanoTime();
		int longRunning = 0;
		for (AtomicLong since : this.runningSince.values()) {
			long started = since.get();
			if (started != IDLE && now - started > CHECK_INTERVAL.toNanos()) {
				longRunning++;
			}
		}
		int size = this.base + Math.min(longRunning, MAX_SPARE);
		if (size != this.pool.getCorePoolSize()) {
			this.pool.setCorePoolSize(size);
		}
		this.runningSince.keySet().removeIf((thread) -> !thread.isAlive());
	}

	/** Whether tasks wait for a thread: a subscriber that has written should then let them go first. */
	boolean othersWaiting() {
		return !this.pool.getThreadPoolExecutor().getQueue().isEmpty();
	}

	@Override
	public void start() {
		this.checks = this.scheduler.scheduleAtFixedRate(this::check, CHECK_INTERVAL);
	}

	@Override
	public void stop() {
		ScheduledFuture<?> running = this.checks;
		if (running != null) {
			running.cancel(false);
			this.checks = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.checks != null;
	}

}
