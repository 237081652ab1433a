package io.tcpbridge.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The latest frames, for replay to a subscriber that comes back: a ring bounded by count and
 * by payload bytes. Frame numbers in it are consecutive, so a frame is found by its number.
 *
 * <p>Not thread-safe: {@link FrameHub} holds its lock around every call.
 */
final class FrameHistory {

	private final Frame[] ring;

	private final long maxBytes;

	private int head;

	private int size;

	private long bytes;

	FrameHistory(int maxFrames, long maxBytes) {
		this.ring = new Frame[maxFrames];
		this.maxBytes = maxBytes;
	}

	void add(Frame frame) {
		if (this.ring.length == 0) {
			return;
		}
		if (this.size == this.ring.length) {
			evictOldest();
		}
		this.ring[(this.head + this.size) % this.ring.length] = frame;
		this.size++;
		this.bytes += frame.payload().length;
		while (this.bytes > this.maxBytes && this.size > 0) {
			evictOldest();
		}
	}

	private void evictOldest() {
		Frame oldest = this.ring[this.head];
		this.ring[this.head] = null;
		this.head = (this.head + 1) % this.ring.length;
		this.size--;
		this.bytes -= oldest.payload().length;
	}

	/**
	 * The frames held after frame {@code seq}, and how many frames after it are no longer
	 * held.
	 * @param seq the last frame the subscriber has; 0 for none
	 * @param latest the number of the latest frame published
	 */
	Replay after(long seq, long latest) {
		long oldestHeld = (this.size > 0) ? this.ring[this.head].seq() : latest + 1;
		long missed = Math.max(0, oldestHeld - seq - 1);
		List<Frame> frames = new ArrayList<>();
		long from = Math.max(seq + 1, oldestHeld);
		for (long s = from; s <= latest && this.size > 0; s++) {
			frames.add(this.ring[(int) ((this.head + (s - oldestHeld)) % this.ring.length)]);
		}
		return new Replay(frames, missed);
	}

	int size() {
		return this.size;
	}

	long bytes() {
		return this.bytes;
	}

	/**
	 * What a returning subscriber gets.
	 *
	 * @param frames the frames still held, in order
	 * @param missed how many frames it will never get
	 */
	record Replay(List<Frame> frames, long missed) {
	}

}
