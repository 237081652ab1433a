package io.tcpbridge.support;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A steady flow from a {@link TestUpstream}: {@code tick <n>} every 20 ms to its latest
 * connection while it is open, numbered on across connections; none while there is none.
 */
public final class Ticker implements AutoCloseable {

	private final TestUpstream upstream;

	private final AtomicInteger sent = new AtomicInteger();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private Ticker(TestUpstream upstream) {
		this.upstream = upstream;
		this.timer.scheduleAtFixedRate(this::tick, 20, 20, TimeUnit.MILLISECONDS);
	}

	public static Ticker on(TestUpstream upstream) {
		return new Ticker(upstream);
	}

	/** How many lines were written so far. */
	public int sent() {
		return this.sent.get();
	}

	private void tick() {
		try {
			TestUpstream.Connection connection = this.upstream.latest();
			if (connection.isOpen()) {
				connection.write(("tick " + this.sent.get() + "\n").getBytes(StandardCharsets.US_ASCII));
				this.sent.incrementAndGet();
			}
		}
		catch (RuntimeException ex) {
			// none yet, or it closed under the write: the next tick tries again
		}
	}

	@Override
	public void close() {
		this.timer.shutdownNow();
	}

}
