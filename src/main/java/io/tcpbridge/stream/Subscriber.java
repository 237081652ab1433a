package io.tcpbridge.stream;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import io.micrometer.core.instrument.Timer;
import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One subscriber: its own bounded queue, filled by the thread that reads the upstream and
 * drained by a delivery thread. The reader only ever takes this queue's lock for a moment;
 * it never waits for the subscriber's network. A subscriber that cannot keep up costs only
 * itself: its oldest frames are dropped (and it is told how many), or it is disconnected.
 *
 * <p>Each drain writes everything that waited, in one write, so a busy stream is not a
 * flush per frame. The queue it took is emptied and put back for a later drain, so that a
 * busy stream does not allocate and grow a queue for every write.
 */
public final class Subscriber {

	private static final Log logger = LogFactory.getLog(Subscriber.class);

	/** The most items a written queue may have held to be kept for the next drain. */
	private static final int SPARE_MAX_ITEMS = 128;

	private final SubscriberSink sink;

	private final int capacity;

	private final SlowConsumerPolicy policy;

	private final Executor delivery;

	private final Consumer<Subscriber> onEnd;

	private final LongConsumer onDrop;

	private final Timer lag;

	private final long firstLiveSeq;

	private final AtomicBoolean draining = new AtomicBoolean();

	private final Runnable drainTask = this::drain;

	private final AtomicBoolean removed = new AtomicBoolean();

	private final Object lock = new Object();

	// guarded by lock; the delivery thread takes the whole queue and leaves its spare, empty
	private ArrayDeque<Object> queue = new ArrayDeque<>();

	// the queue taken by the last drain, emptied, kept for the next: only the draining thread uses it
	private @Nullable ArrayDeque<Object> spare;

	private int framesQueued;

	private long droppedUntold;

	private long dropped;

	private @Nullable String endRequested;

	private volatile boolean ended;

	/**
	 * @param onEnd called once when the subscriber leaves, to forget it
	 * @param onDrop called with the count of frames it lost for not keeping up
	 * @param lag records how long each live frame took from the socket to this subscriber
	 * @param firstLiveSeq the first frame it gets live rather than replayed from history
	 */
	Subscriber(SubscriberSink sink, int capacity, SlowConsumerPolicy policy, Executor delivery,
			Consumer<Subscriber> onEnd, LongConsumer onDrop, Timer lag, long firstLiveSeq) {
		this.sink = sink;
		this.capacity = capacity;
		this.policy = policy;
		this.delivery = delivery;
		this.onEnd = onEnd;
		this.onDrop = onDrop;
		this.lag = lag;
		this.firstLiveSeq = firstLiveSeq;
	}

	/** Queues the items a new subscriber starts with, whatever the capacity. */
	void start(List<Object> items) {
		synchronized (this.lock) {
			for (Object item : items) {
				this.queue.addLast(item);
				if (item instanceof Frame) {
					this.framesQueued++;
				}
			}
		}
		scheduleDrain();
	}

	/**
	 * Queues a frame; on the reading thread, so it never blocks on the subscriber. A full
	 * queue loses its oldest frame, or, under the disconnect policy, the subscriber leaves
	 * the hub at once, and its stream is closed once its delivery thread is free.
	 */
	void offer(Frame frame) {
		long lost = 0;
		synchronized (this.lock) {
			if (this.endRequested != null) {
				return;
			}
			if (this.framesQueued >= this.capacity) {
				if (this.policy == SlowConsumerPolicy.DISCONNECT) {
					this.endRequested = "too slow: " + this.capacity + " frames were waiting for it";
					lost = this.framesQueued + 1;
					this.queue.clear();
					this.framesQueued = 0;
				}
				else {
					lost = dropOldestFrame();
				}
				this.dropped += lost;
			}
			if (this.endRequested == null) {
				this.queue.addLast(frame);
				this.framesQueued++;
			}
		}
		if (lost > 0) {
			this.onDrop.accept(lost);
			if (this.policy == SlowConsumerPolicy.DISCONNECT) {
				leaveHub();
			}
		}
		scheduleDrain();
	}

	private long dropOldestFrame() {
		Iterator<Object> items = this.queue.iterator();
		while (items.hasNext()) {
			if (items.next() instanceof Frame) {
				items.remove();
				this.framesQueued--;
				this.droppedUntold++;
				return 1;
			}
		}
		return 0;
	}

	/** Queues a notice; notices do not count against the capacity. */
	void notify(Notice notice) {
		synchronized (this.lock) {
			if (this.endRequested != null) {
				return;
			}
			this.queue.addLast(notice);
		}
		scheduleDrain();
	}

	/** Closes the stream from the server's side, after what is already queued. */
	public void end(String reason) {
		synchronized (this.lock) {
			if (this.endRequested == null) {
				this.endRequested = reason;
			}
		}
		scheduleDrain();
	}

	/** The subscriber went away: forget it without writing to it again. */
	public void cancel() {
		this.ended = true;
		synchronized (this.lock) {
			this.queue.clear();
			this.framesQueued = 0;
		}
		leaveHub();
	}

	private void leaveHub() {
		if (this.removed.compareAndSet(false, true)) {
			this.onEnd.accept(this);
		}
	}

	private void scheduleDrain() {
		// a plain read first: while a drain is under way, the reader does not contend for the flag
		if (!this.ended && !this.draining.get() && this.draining.compareAndSet(false, true)) {
			try {
				this.delivery.execute(this.drainTask);
			}
			catch (RejectedExecutionException ex) {
				// the delivery threads are gone: the bridge is going down, and so is this stream
				this.draining.set(false);
				cancel();
			}
		}
	}

	/**
	 * Writes what waited, in one write, and goes on while more comes; but when other
	 * subscribers wait for a delivery thread, it goes to the back of the line after each
	 * write, so that with a thread per core a busy subscriber does not starve the others
	 * until their queues overflow.
	 */
	private void drain() {
		while (!this.ended) {
			ArrayDeque<Object> taken;
			String endReason;
			synchronized (this.lock) {
				endReason = this.endRequested;
				if (this.queue.isEmpty() && this.droppedUntold == 0) {
					if (endReason == null) {
						this.draining.set(false);
						return;
					}
					taken = null;
				}
				else {
					if (this.droppedUntold > 0) {
						this.queue.addFirst(new Notice.Gap(this.droppedUntold, Notice.Gap.SLOW_CONSUMER));
						this.droppedUntold = 0;
					}
					// a moment under the lock: the reader never waits for a copy
					taken = this.queue;
					this.queue = (this.spare != null) ? this.spare : new ArrayDeque<>();
					this.spare = null;
					this.framesQueued = 0;
				}
			}
			try {
				if (taken != null) {
					this.sink.write(taken);
					recordLag(taken);
					keepAsSpare(taken);
				}
			}
			catch (IOException | RuntimeException ex) {
				logger.debug(this.sink + " is gone: " + ex.getMessage());
				cancel();
				closeQuietly();
				return;
			}
			if (endReason != null && this.queueIsEmpty()) {
				logger.info("Closing " + this.sink + ": " + endReason);
				cancel();
				this.sink.close(endReason);
				return;
			}
			if (this.delivery instanceof DeliveryThreads threads && threads.othersWaiting()) {
				// still marked as draining: whatever comes meanwhile is taken on the next turn
				resubmit();
				return;
			}
		}
	}

	/**
	 * Keeps a written queue for the next drain; not one that held a long backlog, which
	 * would keep its grown array for as long as the stream is open.
	 */
	private void keepAsSpare(ArrayDeque<Object> written) {
		if (written.size() <= SPARE_MAX_ITEMS) {
			written.clear();
			this.spare = written;
		}
	}

	private void resubmit() {
		try {
			this.delivery.execute(this.drainTask);
		}
		catch (RejectedExecutionException ex) {
			this.draining.set(false);
			cancel();
		}
	}

	/** Ends the response too, so that a stream whose write failed is not left open and silent. */
	private void closeQuietly() {
		try {
			this.sink.close("write failed");
		}
		catch (RuntimeException ex) {
			logger.debug("Closing " + this.sink + " failed as well: " + ex.getMessage());
		}
	}

	/**
	 * Records the lag of the oldest live frame of a write, the one that waited longest: once
	 * per write rather than per frame, so that a busy stream does not spend as much time on
	 * its histogram as on its frames.
	 */
	private void recordLag(Collection<Object> batch) {
		for (Object item : batch) {
			if (item instanceof Frame frame && frame.seq() >= this.firstLiveSeq) {
				this.lag.record(System.nanoTime() - frame.receivedNanos(), TimeUnit.NANOSECONDS);
				return;
			}
		}
	}

	private boolean queueIsEmpty() {
		synchronized (this.lock) {
			return this.queue.isEmpty();
		}
	}

	public SubscriberSink.Transport transport() {
		return this.sink.transport();
	}

	/** Frames this subscriber lost, for not keeping up. */
	public long dropped() {
		synchronized (this.lock) {
			return this.dropped;
		}
	}

	boolean isEnded() {
		return this.ended;
	}

}
