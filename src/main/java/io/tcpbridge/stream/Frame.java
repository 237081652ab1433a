package io.tcpbridge.stream;

import org.jspecify.annotations.Nullable;

/**
 * One frame received from the upstream, with its place in the stream. Every subscriber
 * gets the same instance.
 */
public final class Frame implements StreamItem {

	private final long seq;

	private final String run;

	private @Nullable String id;

	private final byte[] payload;

	private final long receivedNanos;

	/**
	 * @param seq its number in this run of the bridge, from 1, growing across reconnects
	 * @param run the run of the bridge, the first part of the frame's id
	 * @param payload its bytes; never modified once received
	 * @param receivedNanos when it was read, from {@link System#nanoTime()}
	 */
	public Frame(long seq, String run, byte[] payload, long receivedNanos) {
		this.seq = seq;
		this.run = run;
		this.payload = payload;
		this.receivedNanos = receivedNanos;
	}

	public long seq() {
		return this.seq;
	}

	/** The run of the bridge that received it: its id is {@code <run>-<seq>}. */
	public String run() {
		return this.run;
	}

	/**
	 * Its event id, {@code <run>-<seq>}, unique across runs of the bridge: formatted when a
	 * transport first asks, not on the thread that reads the upstream.
	 */
	public String id() {
		String formatted = this.id;
		if (formatted == null) {
			// a race formats the same string twice, harmlessly
			formatted = EventId.format(this.run, this.seq);
			this.id = formatted;
		}
		return formatted;
	}

	public byte[] payload() {
		return this.payload;
	}

	public long receivedNanos() {
		return this.receivedNanos;
	}

	@Override
	public <R> R accept(Visitor<R> visitor) {
		return visitor.frame(this);
	}

	@Override
	public String toString() {
		return "Frame " + id() + " (" + this.payload.length + " bytes)";
	}

}
