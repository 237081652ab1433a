package io.tcpbridge.stream;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What waits to be written to one subscriber: its place in the shared {@link FrameLog},
 * and the notices queued for it, each after the frame that was the latest when it came.
 * At most {@code capacity} live frames may wait; a subscriber further behind loses its
 * oldest, counted and told as a {@link Notice.Gap} at the head of its next write, or, under
 * the disconnect policy, everything that waited, and its stream ends. Frames replayed to a
 * returning subscriber do not count against the bound until it falls behind the live ones.
 *
 * <p>Its position moves under its own lock: forward by the subscriber's writes, and by the
 * hub when it laps the subscriber, which is the only time the thread that reads the
 * upstream takes that lock. A stream asked to end writes what waited then, and is lapped
 * like any other while it does, so the log never holds more for it than its bound.
 */
final class SubscriberCursor {

	/** The most items one write takes, so that a write's batch stays small and other subscribers get their turn. */
	static final int MAX_BATCH = 1024;

	private final FrameLog log;

	private final int capacity;

	private final SlowConsumerPolicy policy;

	private final long firstLive;

	private final LongConsumer lost;

	private final Object lock = new Object();

	/** The next frame to write; moves under the lock, read without it. */
	private volatile long next;

	// guarded by lock
	private final ArrayDeque<Queued> notices = new ArrayDeque<>(4);

	private long droppedUntold;

	/** The last frame to write: the latest when the end was asked for. Written under lock, read without it. */
	private volatile long endAfter = Long.MAX_VALUE;

	// written under lock, read without it
	private volatile @Nullable End end;

	/**
	 * @param from the first frame to write, replayed when before {@code firstLive}
	 * @param firstLive the first frame the subscriber gets live
	 * @param start the notices its stream starts with, before any frame
	 * @param lost told of the frames lost each time the subscriber loses some
	 */
	SubscriberCursor(FrameLog log, int capacity, SlowConsumerPolicy policy, long from, long firstLive,
			List<Notice> start, LongConsumer lost) {
		this.log = log;
		this.capacity = capacity;
		this.policy = policy;
		this.lost = lost;
		this.next = from;
		this.firstLive = firstLive;
		for (Notice notice : start) {
			this.notices.addLast(new Queued(from - 1, notice));
		}
	}

	/** The oldest frame this subscriber may still read; none once it reads no more. */
	long position() {
		long position = this.next;
		return (position > this.endAfter) ? Long.MAX_VALUE : position;
	}

	long firstLive() {
		return this.firstLive;
	}

	/**
	 * After frame {@code latest} was published: when more live frames wait than the bound,
	 * makes room as the policy says. Under drop-oldest the subscriber loses its oldest;
	 * under disconnect every frame that waited, and its stream ends.
	 */
	void lapIfBehind(long latest) {
		// checked first without the lock: the reading thread's usual case is a subscriber within its bound
		if (overBound(latest)) {
			synchronized (this.lock) {
				lap(latest);
			}
		}
	}

	/** Whether more live frames wait than the bound, up to frame {@code latest}, for a stream that still reads. */
	private boolean overBound(long latest) {
		long position = this.next;
		return latest - Math.max(position, this.firstLive) >= this.capacity && position <= this.endAfter;
	}

	// under lock
	private void lap(long latest) {
		if (!overBound(latest)) {
			return;
		}
		if (this.policy == SlowConsumerPolicy.DISCONNECT && this.end == null) {
			lose(latest - this.next + 1);
			this.next = latest + 1;
			this.notices.clear();
			this.end = new End(CloseReason.SLOW_CONSUMER, "too slow: " + this.capacity + " frames were waiting for it");
			this.endAfter = latest;
			return;
		}
		// an ending stream loses what falls out of its bound too, and then owes nothing after its end
		long oldestKept = latest - this.capacity + 1;
		if (oldestKept > this.endAfter) {
			oldestKept = this.endAfter + 1;
		}
		lose(oldestKept - this.next);
		this.droppedUntold += oldestKept - this.next;
		this.next = oldestKept;
	}

	// under lock
	private void lose(long frames) {
		this.lost.accept(frames);
	}

	/**
	 * Moves past frame {@code to}: its replica will never have the frames this subscriber had
	 * not read up to there, and the subscriber is told so, as a gap, before the next frame.
	 * They are the replica's loss, not this subscriber's: not counted as dropped for it.
	 */
	void skipTo(long to) {
		synchronized (this.lock) {
			if (this.end != null || this.next > to) {
				return;
			}
			this.notices.addLast(new Queued(to, new Notice.Gap(to - this.next + 1, Notice.Gap.REPLICA_BEHIND)));
			this.next = to + 1;
		}
	}

	/** Queues a notice after the latest frame, unless the stream is ending; a keep-alive only when none waits yet. */
	void notify(Notice notice) {
		synchronized (this.lock) {
			if (this.end != null) {
				return;
			}
			Queued last = this.notices.peekLast();
			if (notice instanceof Notice.Heartbeat && last != null && last.notice() instanceof Notice.Heartbeat) {
				return;
			}
			this.notices.addLast(new Queued(this.log.published(), notice));
		}
	}

	/** Asks for the stream's end after what waits now; the first end asked for is the one kept. */
	void requestEnd(End requested) {
		synchronized (this.lock) {
			if (this.end == null) {
				this.end = requested;
				this.endAfter = this.log.published();
			}
		}
	}

	/** The end asked for, if any. */
	@Nullable End end() {
		return this.end;
	}

	/**
	 * What waits, in order, up to {@value #MAX_BATCH} items, with a gap first for the frames
	 * lost since the last take; {@code null} when nothing waits. A new list each time: it
	 * lives as long as its write, and the young collection takes it with the frames it
	 * names, where a list kept for the next write would be an old object that the collector
	 * has to track for every frame put in it.
	 */
	@Nullable List<StreamItem> take() {
		synchronized (this.lock) {
			lap(this.log.published());
			long latest = lastToWrite();
			if (nothingWaits(latest)) {
				return null;
			}
			List<StreamItem> batch = new ArrayList<>(
					(int) Math.min(MAX_BATCH, Math.max(0, latest - this.next + 1) + this.notices.size() + 1));
			if (this.droppedUntold > 0) {
				batch.add(new Notice.Gap(this.droppedUntold, Notice.Gap.SLOW_CONSUMER));
				this.droppedUntold = 0;
			}
			long seq = this.next;
			for (; seq <= latest && batch.size() < MAX_BATCH; seq++) {
				takeNoticesBefore(seq, batch);
				Frame frame = this.log.get(seq);
				if (frame != null) {
					batch.add(frame);
				}
				else {
					// the log keeps every frame a subscriber may read: a frame not there is still counted and told
					lose(1);
					this.droppedUntold++;
				}
			}
			this.next = seq;
			takeNoticesBefore(seq, batch);
			return batch;
		}
	}

	/** Moves the notices that came before frame {@code seq} into the batch. */
	private void takeNoticesBefore(long seq, List<StreamItem> batch) {
		Queued notice;
		while ((notice = this.notices.peekFirst()) != null && notice.after() < seq) {
			batch.add(this.notices.pollFirst().notice());
		}
	}

	/** Whether nothing waits to be taken. */
	boolean isEmpty() {
		synchronized (this.lock) {
			return nothingWaits(lastToWrite());
		}
	}

	// under lock
	private boolean nothingWaits(long latest) {
		return this.next > latest && this.notices.isEmpty() && this.droppedUntold == 0;
	}

	/** The last frame this subscriber is to write: the latest, or the latest when its end was asked for. */
	private long lastToWrite() {
		return Math.min(this.log.published(), this.endAfter);
	}

	/** Frames waiting. */
	long frames() {
		return Math.max(0, lastToWrite() - this.next + 1);
	}

	/** Drops what waits: the stream is gone. */
	void clear() {
		synchronized (this.lock) {
			this.notices.clear();
			this.droppedUntold = 0;
			this.endAfter = Math.min(this.endAfter, this.next - 1);
		}
	}

	/** Why a stream ends, and the words for its log line and its client. */
	record End(CloseReason reason, String detail) {
	}

	/** A notice, and the latest frame when it came, which the subscriber gets before it. */
	private record Queued(long after, Notice notice) {
	}

}
