package io.tcpbridge.upstream;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * A link's writes as they happen: how many are under way and since when the oldest is (a
 * write stuck on a peer that stopped reading), when the last one ended (a quiet link's
 * heartbeat), and how long each took ({@code bridge.send.duration}). Read without a lock.
 */
final class LinkWrites {

	/** Writes under way (waiting for the connection or writing), and since when the oldest one is. */
	private final AtomicInteger writers = new AtomicInteger();

	private final AtomicLong oldestNanos = new AtomicLong();

	private volatile long lastNanos = System.nanoTime();

	private final Timer duration;

	LinkWrites(String link, MeterRegistry registry) {
		this.duration = Timer.builder("bridge.send.duration")
			.description("Time to write one frame to the upstream socket, from the send to the flush")
			.tag("link", link)
			.publishPercentileHistogram()
			.register(registry);
	}

	/** Runs one write, timed and counted as under way until it returns or fails. */
	void write(Runnable write) {
		long start = System.nanoTime();
		this.writers.incrementAndGet();
		this.oldestNanos.compareAndSet(0, start);
		try {
			write.run();
		}
		finally {
			this.oldestNanos.set((this.writers.decrementAndGet() == 0) ? 0 : System.nanoTime());
		}
		this.lastNanos = System.nanoTime();
		this.duration.record(this.lastNanos - start, TimeUnit.NANOSECONDS);
	}

	/** A write outside {@link #write}, on connect: the link was not quiet. */
	void wrote() {
		this.lastNanos = System.nanoTime();
	}

	/** How long the oldest write under way has waited, at {@code now}; 0 with none. */
	long oldestWaitingNanos(long now) {
		long oldest = this.oldestNanos.get();
		return (oldest == 0) ? 0 : now - oldest;
	}

	/** How long ago the last write ended, at {@code now}. */
	long quietNanos(long now) {
		return now - this.lastNanos;
	}

}
