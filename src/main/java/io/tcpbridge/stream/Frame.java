package io.tcpbridge.stream;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One frame received from the upstream, with its place in the stream.
 *
 * <p>Every subscriber gets the same instance. A transport that turns it into bytes (an SSE
 * event) can keep them in the frame with {@link #rendered}, so that a hundred subscribers on
 * the same encoding cost one rendering, not a hundred.
 */
public final class Frame {

	private final long seq;

	private final String run;

	private @Nullable String id;

	private final byte[] payload;

	private final long receivedNanos;

	private volatile @Nullable Rendering rendering;

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

	/**
	 * The frame as {@code renderer} renders it, rendered once for every caller with the same
	 * renderer. Holds one rendering: callers with another renderer render it again, which is
	 * correct, only slower.
	 * @param renderer a function of the frame alone, the same instance for the same output
	 */
	public byte[] rendered(Function<Frame, byte[]> renderer) {
		Rendering cached = this.rendering;
		if (cached != null && cached.renderer() == renderer) {
			return cached.bytes();
		}
		byte[] bytes = renderer.apply(this);
		this.rendering = new Rendering(renderer, bytes);
		return bytes;
	}

	@Override
	public String toString() {
		return "Frame " + id() + " (" + this.payload.length + " bytes)";
	}

	private record Rendering(Function<Frame, byte[]> renderer, byte[] bytes) {
	}

}
