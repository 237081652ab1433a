package io.tcpbridge.upstream;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Frames and bytes through the link in each direction, when the last one passed, and the
 * inbound frames that had to be dropped.
 * Counted on the reading thread and on the writers' threads without a lock.
 */
final class LinkTraffic {

	private final LongAdder framesIn = new LongAdder();

	private final LongAdder bytesIn = new LongAdder();

	private final LongAdder framesOut = new LongAdder();

	private final LongAdder bytesOut = new LongAdder();

	private final LongAdder droppedIn = new LongAdder();

	private volatile long lastFrameIn;

	private volatile long lastFrameOut;

	void received(byte[] frame, long nowMillis) {
		this.framesIn.increment();
		this.bytesIn.add(frame.length);
		this.lastFrameIn = nowMillis;
	}

	void sent(byte[] frame, long nowMillis) {
		this.framesOut.increment();
		this.bytesOut.add(frame.length);
		this.lastFrameOut = nowMillis;
	}

	/** An inbound frame was read but could not be delivered (too large). */
	void dropped() {
		this.droppedIn.increment();
	}

	long framesDropped() {
		return this.droppedIn.sum();
	}

	long framesIn() {
		return this.framesIn.sum();
	}

	long bytesIn() {
		return this.bytesIn.sum();
	}

	long framesOut() {
		return this.framesOut.sum();
	}

	long bytesOut() {
		return this.bytesOut.sum();
	}

	@Nullable Instant lastFrameIn() {
		return instantOrNull(this.lastFrameIn);
	}

	@Nullable Instant lastFrameOut() {
		return instantOrNull(this.lastFrameOut);
	}

	private static @Nullable Instant instantOrNull(long epochMilli) {
		return (epochMilli != 0) ? Instant.ofEpochMilli(epochMilli) : null;
	}

}
