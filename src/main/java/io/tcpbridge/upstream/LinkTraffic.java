package io.tcpbridge.upstream;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * Frames and bytes through the link in each direction, when the last one passed, the
 * inbound frames that had to be dropped, and connection attempts by outcome: counted on the
 * reading thread and the writers' threads without a lock, read by the status and the metrics.
 */
public final class LinkTraffic {

	private final LongAdder framesIn = new LongAdder();

	private final LongAdder bytesIn = new LongAdder();

	private final LongAdder framesOut = new LongAdder();

	private final LongAdder bytesOut = new LongAdder();

	private final LongAdder droppedOversize = new LongAdder();

	private final LongAdder droppedTruncated = new LongAdder();

	private final LongAdder droppedMalformed = new LongAdder();

	private final LongAdder attemptsSucceeded = new LongAdder();

	private final LongAdder attemptsFailed = new LongAdder();

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

	/** An inbound frame was larger than the maximum, and dropped. */
	void droppedOversize() {
		this.droppedOversize.increment();
	}

	/** The connection ended in the middle of an inbound frame, which is lost. */
	void droppedTruncated() {
		this.droppedTruncated.increment();
	}

	/** Inbound bytes did not follow the framing (no start byte, a length field that tells no length), and were dropped. */
	void droppedMalformed() {
		this.droppedMalformed.increment();
	}

	void attempted(boolean succeeded) {
		(succeeded ? this.attemptsSucceeded : this.attemptsFailed).increment();
	}

	/** Inbound frames dropped for any reason of the link's: too large, cut short, malformed. */
	public long framesDropped() {
		return framesDroppedOversize() + framesDroppedTruncated() + framesDroppedMalformed();
	}

	public long framesDroppedOversize() {
		return this.droppedOversize.sum();
	}

	public long framesDroppedTruncated() {
		return this.droppedTruncated.sum();
	}

	public long framesDroppedMalformed() {
		return this.droppedMalformed.sum();
	}

	public long attemptsSucceeded() {
		return this.attemptsSucceeded.sum();
	}

	public long attemptsFailed() {
		return this.attemptsFailed.sum();
	}

	public long framesIn() {
		return this.framesIn.sum();
	}

	public long bytesIn() {
		return this.bytesIn.sum();
	}

	public long framesOut() {
		return this.framesOut.sum();
	}

	public long bytesOut() {
		return this.bytesOut.sum();
	}

	public @Nullable Instant lastFrameIn() {
		return instantOrNull(this.lastFrameIn);
	}

	public @Nullable Instant lastFrameOut() {
		return instantOrNull(this.lastFrameOut);
	}

	private static @Nullable Instant instantOrNull(long epochMilli) {
		return (epochMilli != 0) ? Instant.ofEpochMilli(epochMilli) : null;
	}

}
