package io.tcpbridge.links;

import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops one part of every link, in a phase of the context's start and stop: its
 * hub, its connection, its hold on the link in a cluster.
 */
public final class LinksLifecycle implements SmartLifecycle {

	private final int phase;

	private final Runnable start;

	private final Runnable stop;

	private volatile boolean running;

	public LinksLifecycle(int phase, Runnable start, Runnable stop) {
		this.phase = phase;
		this.start = start;
		this.stop = stop;
	}

	@Override
	public void start() {
		this.start.run();
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stop.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
