package io.tcpbridge.stream;

import java.util.concurrent.Executor;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * The threads that write to subscribers: one per core, and at least two, however many
 * subscribers there are and however many of them stopped reading.
 *
 * <p>Few threads, because a thread per core stays busy while frames flow, where more threads
 * would each be woken for a frame or two. They are never held by a client: a sink's write
 * returns at once, and a subscriber whose socket is full waits without a thread until the
 * socket takes its bytes.
 */
public final class DeliveryThreads implements Executor {

	private final ThreadPoolTaskExecutor pool;

	/** @param pool the threads, with an unbounded queue */
	public DeliveryThreads(ThreadPoolTaskExecutor pool) {
		this.pool = pool;
	}

	/** One thread per core, and at least two. */
	public static int count() {
		return Math.max(2, Runtime.getRuntime().availableProcessors());
	}

	@Override
	public void execute(Runnable task) {
		this.pool.execute(task);
	}

	/** Whether tasks wait for a thread: a subscriber that has written should then let them go first. */
	boolean othersWaiting() {
		return !this.pool.getThreadPoolExecutor().getQueue().isEmpty();
	}

}
