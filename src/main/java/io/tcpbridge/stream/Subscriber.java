package io.tcpbridge.stream;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Timer;
import io.tcpbridge.stream.SubscriberCursor.End;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One subscriber: its {@link SubscriberCursor}, its place in the frames every subscriber
 * shares, which the thread that reads the upstream moves ahead of it, and the writes that
 * follow it, on a delivery thread. Neither waits for the subscriber's
 * network: a write starts and returns, and while the client's socket is full the subscriber
 * waits without a thread (parked) until the socket has taken the write. A subscriber that
 * cannot keep up costs only itself; one whose socket takes nothing for the stall timeout is
 * closed.
 *
 * <p>The drain is a small state machine: {@code IDLE} (nothing to write), {@code RUNNING}
 * (on a delivery thread), {@code WRITING} (in the sink's write), {@code PARKED} (the write
 * waits on the socket, no thread holds it). A write that the socket takes at once brings it
 * back to {@code RUNNING} on the same thread; one that parks is resumed, on a delivery
 * thread, by the write's end.
 */
public final class Subscriber implements SubscriberSink.Progress {

	private static final Log logger = LogFactory.getLog(Subscriber.class);

	/** No write under way. */
	private static final long NOT_WAITING = Long.MIN_VALUE;

	// the drain's states, as the class comment tells them
	private static final int IDLE = 0, RUNNING = 1, WRITING = 2, PARKED = 3;

	private final SubscriberSink sink;

	private final SubscriberCursor cursor;

	private final DeliveryThreads delivery;

	private final Listener listener;

	private final Timer lag;

	private final long firstLiveSeq;

	private final AtomicInteger state = new AtomicInteger(IDLE);

	private final Runnable drainTask = this::drain;

	private final AtomicBoolean left = new AtomicBoolean();

	/** The write under way: only the write's own thread, then the thread that ends it, use it. */
	private @Nullable List<StreamItem> inFlight;

	/** When the write under way started or last advanced, from {@link System#nanoTime()}. */
	private volatile long waitingSince = NOT_WAITING;

	private volatile boolean ended;

	/** How log lines name it: its sink, and the link it reads. */
	private final String label;

	/**
	 * @param link the name of the link whose frames it reads
	 * @param listener told, once, of its end
	 * @param lag records how long each live frame took from the socket to this subscriber
	 */
	Subscriber(String link, SubscriberSink sink, SubscriberCursor cursor, DeliveryThreads delivery, Listener listener,
			Timer lag) {
		this.label = sink + " of link " + link;
		this.sink = sink;
		this.cursor = cursor;
		this.delivery = delivery;
		this.listener = listener;
		this.lag = lag;
		this.firstLiveSeq = cursor.firstLive();
	}

	/** Starts writing what the stream starts with. */
	void start() {
		scheduleDrain();
	}

	/**
	 * Frame {@code latest} is out: on the reading thread, so it never waits for the
	 * subscriber; makes room when too many wait, and wakes the subscriber when it was idle.
	 */
	void published(long latest) {
		this.cursor.lapIfBehind(latest);
		wake();
	}

	/** Frames up to {@code to} will never come: moves past them, and tells the subscriber so. */
	void skipped(long to) {
		this.cursor.skipTo(to);
		wake();
	}

	/** Queues a notice; notices do not count against the capacity. */
	void notify(Notice notice) {
		this.cursor.notify(notice);
		wake();
	}

	/** The oldest frame it may still write: the log keeps every frame from here on. */
	long position() {
		return this.cursor.position();
	}

	/**
	 * Closes the stream from the server's side, after what is already queued; at once when
	 * a write waits on the client's socket, since a client that does not read cannot be
	 * told goodbye.
	 */
	public void end(CloseReason reason, String detail) {
		this.cursor.requestEnd(new End(reason, detail));
		wake();
	}

	/** Something came: the drain takes it, unless its write waits on the socket and the stream is to end, which cannot wait. */
	private void wake() {
		if (this.state.get() == PARKED && this.cursor.end() != null) {
			abortParked();
		}
		else {
			scheduleDrain();
		}
	}

	/** The client went away: forget it without writing to it again. */
	public void cancel() {
		leave(CloseReason.CLIENT);
	}

	/** Drops the connection when the socket has taken nothing of a write for longer than the timeout. */
	void abortIfStalled(long nowNanos, long timeoutNanos) {
		long since = this.waitingSince;
		if (since != NOT_WAITING && nowNanos - since > timeoutNanos && !this.ended) {
			abort(new End(CloseReason.STALLED, "stalled: its socket took nothing for "
					+ TimeUnit.NANOSECONDS.toMillis(nowNanos - since) + " ms while a write and "
					+ this.cursor.frames() + " more frames waited"));
		}
	}

	private void abortParked() {
		End end = this.cursor.end();
		if (end != null) {
			abort(end);
		}
	}

	private void abort(End end) {
		close(end, true);
	}

	/** Leaves the hub and closes the stream, with a goodbye or without; once, for the first end. */
	private void close(End end, boolean abort) {
		if (leave(end.reason())) {
			logger.info("Closing " + this.label + ": " + end.detail());
			if (abort) {
				this.sink.abort(end.detail());
			}
			else {
				this.sink.close(end.detail());
			}
		}
	}

	/** Leaves the hub, once, for the first reason given; {@code false} if it had left already. */
	private boolean leave(CloseReason reason) {
		if (!this.left.compareAndSet(false, true)) {
			return false;
		}
		this.ended = true;
		this.cursor.clear();
		this.listener.ended(this, reason);
		return true;
	}

	private void scheduleDrain() {
		// a plain read first: while a drain is under way, the reader does not contend for the flag
		if (!this.ended && this.state.get() == IDLE && this.state.compareAndSet(IDLE, RUNNING)) {
			submitDrain();
		}
	}

	private void submitDrain() {
		try {
			this.delivery.execute(this.drainTask);
		}
		catch (RejectedExecutionException ex) {
			// the delivery threads are gone: the bridge is going down, and so is this stream
			this.state.set(IDLE);
			leave(CloseReason.SHUTDOWN);
		}
	}

	/**
	 * Writes what waited, and goes on while more comes and the socket takes it at once; a
	 * write the socket cannot take yet parks the subscriber. When other subscribers wait for
	 * a delivery thread, a write that left more to write sends it to the back of the line, so
	 * that a busy subscriber does not starve the others.
	 */
	private void drain() {
		while (!this.ended) {
			List<StreamItem> batch = this.cursor.take();
			if (batch == null) {
				End end = this.cursor.end();
				if (end != null) {
					close(end, false);
					this.state.set(IDLE);
					return;
				}
				this.state.set(IDLE);
				// an item queued before IDLE was set found the drain running: take it now
				if ((this.cursor.isEmpty() && this.cursor.end() == null) || !this.state.compareAndSet(IDLE, RUNNING)) {
					return;
				}
				continue;
			}
			this.inFlight = batch;
			this.waitingSince = System.nanoTime();
			this.state.set(WRITING);
			try {
				this.sink.write(batch, this);
			}
			catch (RuntimeException ex) {
				failed(ex);
			}
			if (this.state.compareAndSet(WRITING, PARKED)) {
				// the socket is full: the write's end resumes this; an end asked for meanwhile cannot wait for it
				if (this.cursor.end() != null) {
					abortParked();
				}
				return;
			}
			if (!this.ended && this.delivery.othersWaiting() && !this.cursor.isEmpty()) {
				// still running, with more to write: whatever comes meanwhile is taken on the next turn
				submitDrain();
				return;
			}
		}
		this.state.set(IDLE);
	}

	@Override
	public void advanced() {
		this.waitingSince = System.nanoTime();
	}

	@Override
	public void written() {
		List<StreamItem> batch = this.inFlight;
		this.inFlight = null;
		this.waitingSince = NOT_WAITING;
		if (batch != null) {
			recordLag(batch);
		}
		resume();
	}

	@Override
	public void failed(Throwable cause) {
		this.inFlight = null;
		this.waitingSince = NOT_WAITING;
		// the server's idle timeout ends a write that makes no progress, as the stall timeout would
		boolean stalled = cause instanceof TimeoutException || cause.getCause() instanceof TimeoutException;
		if (leave(stalled ? CloseReason.STALLED : CloseReason.CLIENT)) {
			logger.debug(this.label + " is gone: " + cause.getMessage());
			this.sink.abort("write failed");
		}
		resume();
	}

	/** After a write: back to the drain that made it, or, when that drain had parked, a new turn. */
	private void resume() {
		if (this.state.compareAndSet(WRITING, RUNNING)) {
			return;
		}
		if (this.state.compareAndSet(PARKED, RUNNING)) {
			if (this.ended) {
				this.state.set(IDLE);
			}
			else {
				submitDrain();
			}
		}
	}

	/** The lag of a write's oldest live frame: once per write, not per frame, which would cost as much as the frames. */
	private void recordLag(Collection<StreamItem> batch) {
		for (StreamItem item : batch) {
			if (item instanceof Frame frame && frame.seq() >= this.firstLiveSeq) {
				this.lag.record(System.nanoTime() - frame.receivedNanos(), TimeUnit.NANOSECONDS);
				return;
			}
		}
	}

	public SubscriberSink.Transport transport() {
		return this.sink.transport();
	}

	/** What the hub hears from a subscriber: once, why it left. */
	interface Listener {

		void ended(Subscriber subscriber, CloseReason reason);

	}

}
