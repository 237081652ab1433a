package io.tcpbridge.stream;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What waits to be written to one subscriber: frames, bounded in number, and notices, which
 * are not. A full queue loses its oldest frame, counted and told as a {@link Notice.Gap} at
 * the head of the next write, or, under the disconnect policy, everything, and asks for the
 * stream's end. Filled by the thread that reads the upstream and emptied, a whole queue at a
 * time, by the subscriber's write: each holds the lock only for a moment.
 */
final class SubscriberQueue {

	/** The most items a written queue may have held to be kept for the next write. */
	private static final int SPARE_MAX_ITEMS = 128;

	private final int capacity;

	private final SlowConsumerPolicy policy;

	private final Object lock = new Object();

	// guarded by lock
	private ArrayDeque<StreamItem> items = new ArrayDeque<>();

	private int frames;

	private long droppedUntold;

	private long dropped;

	private @Nullable ArrayDeque<StreamItem> spare;

	// written under lock, read without it
	private volatile @Nullable End end;

	SubscriberQueue(int capacity, SlowConsumerPolicy policy) {
		this.capacity = capacity;
		this.policy = policy;
	}

	/** Adds the items a stream starts with, whatever the capacity. */
	void addAll(List<StreamItem> start) {
		synchronized (this.lock) {
			for (StreamItem item : start) {
				this.items.addLast(item);
				if (item instanceof Frame) {
					this.frames++;
				}
			}
		}
	}

	/**
	 * Adds a frame, making room as the policy says.
	 * @return how many frames were lost to make room: under drop-oldest at most one, under
	 * disconnect every frame that waited and this one, after which the queue takes no more
	 */
	long offer(Frame frame) {
		synchronized (this.lock) {
			if (this.end != null) {
				return 0;
			}
			long lost = 0;
			if (this.frames >= this.capacity) {
				if (this.policy == SlowConsumerPolicy.DISCONNECT) {
					lost = this.frames + 1;
					this.dropped += lost;
					this.items.clear();
					this.frames = 0;
					this.end = new End(CloseReason.SLOW_CONSUMER,
							"too slow: " + this.capacity + " frames were waiting for it");
					return lost;
				}
				lost = dropOldestFrame();
				this.dropped += lost;
			}
			this.items.addLast(frame);
			this.frames++;
			return lost;
		}
	}

	private long dropOldestFrame() {
		Iterator<StreamItem> queued = this.items.iterator();
		while (queued.hasNext()) {
			if (queued.next() instanceof Frame) {
				queued.remove();
				this.frames--;
				this.droppedUntold++;
				return 1;
			}
		}
		return 0;
	}

	/** Adds a notice, unless the stream is ending. */
	void notify(Notice notice) {
		synchronized (this.lock) {
			if (this.end == null) {
				this.items.addLast(notice);
			}
		}
	}

	/** Asks for the stream's end after what waits; the first end asked for is the one kept. */
	void requestEnd(End requested) {
		synchronized (this.lock) {
			if (this.end == null) {
				this.end = requested;
			}
		}
	}

	/** The end asked for, if any. */
	@Nullable End end() {
		return this.end;
	}

	/**
	 * Everything that waited, with a gap first for the frames dropped since the last take,
	 * in a queue of its own; {@code null} when nothing waits. The queue taken is the
	 * caller's until it gives it back with {@link #recycle}.
	 */
	@Nullable ArrayDeque<StreamItem> take() {
		synchronized (this.lock) {
			if (this.items.isEmpty() && this.droppedUntold == 0) {
				return null;
			}
			if (this.droppedUntold > 0) {
				this.items.addFirst(new Notice.Gap(this.droppedUntold, Notice.Gap.SLOW_CONSUMER));
				this.droppedUntold = 0;
			}
			// a moment under the lock: the reader never waits for a copy
			ArrayDeque<StreamItem> taken = this.items;
			this.items = (this.spare != null) ? this.spare : new ArrayDeque<>();
			this.spare = null;
			this.frames = 0;
			return taken;
		}
	}

	/**
	 * Takes back a written queue, emptied, for the next take; not one that held a long
	 * backlog, which would keep its grown array for as long as the stream is open.
	 */
	void recycle(ArrayDeque<StreamItem> written) {
		if (written.size() <= SPARE_MAX_ITEMS) {
			written.clear();
			synchronized (this.lock) {
				this.spare = written;
			}
		}
	}

	boolean isEmpty() {
		synchronized (this.lock) {
			return this.items.isEmpty() && this.droppedUntold == 0;
		}
	}

	/** Frames waiting. */
	int frames() {
		synchronized (this.lock) {
			return this.frames;
		}
	}

	/** Frames lost since the queue was made. */
	long dropped() {
		synchronized (this.lock) {
			return this.dropped;
		}
	}

	/** Drops what waits: the stream is gone. */
	void clear() {
		synchronized (this.lock) {
			this.items.clear();
			this.frames = 0;
			this.droppedUntold = 0;
			this.spare = null;
		}
	}

	/** Why a stream ends, and the words for its log line and its client. */
	record End(CloseReason reason, String detail) {
	}

}
