package io.tcpbridge.cluster;

import org.jspecify.annotations.Nullable;

/**
 * A daemon thread of one link's part of the cluster (its appender, its stream's reader):
 * started and stopped with it. Its work runs while {@link #running()}; a stop interrupts it,
 * and a start after a stop runs it anew on a new thread.
 */
final class LinkThread {

	private final String name;

	private final Runnable work;

	private volatile @Nullable Thread thread;

	LinkThread(String name, Runnable work) {
		this.name = name;
		this.work = work;
	}

	void start() {
		Thread started = new Thread(this.work, this.name);
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	void stop() {
		Thread stopping = this.thread;
		this.thread = null;
		if (stopping != null) {
			stopping.interrupt();
		}
	}

	/** Whether the calling thread is the one that runs the work, and is not stopped. */
	boolean running() {
		return this.thread == Thread.currentThread();
	}

}
