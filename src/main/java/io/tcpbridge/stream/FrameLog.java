package io.tcpbridge.stream;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * Every frame the subscribers share, once: a ring in which a frame's number is its place.
 * Each subscriber reads it from a position of its own ({@link SubscriberCursor}), so a frame
 * is held once however many subscribers wait for it, and a subscriber that waits costs a
 * number, not a queue.
 *
 * <p>The ring holds the history, the latest frames kept for returning subscribers (bounded
 * by count and by payload bytes), and beyond it whatever a subscriber has yet to read, up to
 * its queue's bound; a frame neither needs is let go. It has room for both bounds at once,
 * so a frame a subscriber may still read, within its bound, is never overwritten.
 *
 * <p>One writer, under {@link FrameHub}'s lock; readers on any thread, without a lock: a
 * frame is in its slot before {@link #published()} names it.
 */
final class FrameLog {

	private final @Nullable Frame[] ring;

	private final int historyFrames;

	private final long historyMaxBytes;

	private volatile long published;

	// guarded by the hub's lock
	private long historyOldest;

	private long historyBytes;

	private long releasedBelow;

	/**
	 * @param historyFrames how many of the latest frames replay may give
	 * @param historyMaxBytes the most payload bytes those may hold
	 * @param subscriberFrames the most frames that may wait for one subscriber
	 * @param after the number of the frame before its first: 0 for a log of its own, the
	 * shared stream's place where the frames are numbered there
	 */
	FrameLog(int historyFrames, long historyMaxBytes, int subscriberFrames, long after) {
		this.ring = new Frame[historyFrames + subscriberFrames];
		this.historyFrames = historyFrames;
		this.historyMaxBytes = historyMaxBytes;
		startAfter(after);
	}

	/** Adds the next frame, numbered one after the latest, and keeps the history within its bounds. */
	void add(Frame frame) {
		long seq = frame.seq();
		this.ring[slot(seq)] = frame;
		this.historyBytes += frame.payload().length;
		while (this.historyOldest <= seq
				&& (seq - this.historyOldest + 1 > this.historyFrames || this.historyBytes > this.historyMaxBytes)) {
			this.historyBytes -= this.ring[slot(this.historyOldest)].payload().length;
			this.historyOldest++;
		}
		// the slot taken held a frame no reader may still want
		this.releasedBelow = Math.max(this.releasedBelow, seq - this.ring.length + 1);
		this.published = seq;
	}

	/**
	 * Goes on after frame {@code to}, as a new log after it would: the frames up to it never
	 * come, and the history starts after them. Every reader has been moved past them first.
	 */
	void skip(long to) {
		Arrays.fill(this.ring, null);
		startAfter(to);
	}

	private void startAfter(long after) {
		this.historyOldest = after + 1;
		this.historyBytes = 0;
		this.releasedBelow = after + 1;
		this.published = after;
	}

	/** The number of the latest frame; before the first, the one before it. */
	long published() {
		return this.published;
	}

	/**
	 * The frame numbered {@code seq}, or {@code null} when the log no longer holds it. Only
	 * a frame of at most {@link #published()} may be asked for.
	 */
	@Nullable Frame get(long seq) {
		Frame frame = this.ring[slot(seq)];
		return (frame != null && frame.seq() == seq) ? frame : null;
	}

	/**
	 * Lets go of the frames before {@code below} that the history does not keep: no
	 * subscriber reads them any more.
	 */
	void release(long below) {
		long until = Math.min(below, this.historyOldest);
		for (long seq = this.releasedBelow; seq < until; seq++) {
			this.ring[slot(seq)] = null;
		}
		this.releasedBelow = Math.max(this.releasedBelow, until);
	}

	/**
	 * Where a subscriber that has every frame up to {@code seq} starts again: the oldest
	 * frame after it still in the history, and how many after it are no longer there.
	 * @param seq the last frame the subscriber has; 0 for none
	 */
	Replay after(long seq) {
		long from = Math.max(seq + 1, this.historyOldest);
		return new Replay(from, from - seq - 1);
	}

	/** Frames the history holds. */
	int historySize() {
		return (int) (this.published - this.historyOldest + 1);
	}

	/** Payload bytes the history holds. */
	long historyBytes() {
		return this.historyBytes;
	}

	private int slot(long seq) {
		return (int) (seq % this.ring.length);
	}

	/**
	 * Where a returning subscriber starts.
	 *
	 * @param from the first frame it is given
	 * @param missed how many frames it will never get
	 */
	record Replay(long from, long missed) {
	}

}
