package io.tcpbridge.web.sse;

import java.util.concurrent.atomic.AtomicReferenceArray;

import io.tcpbridge.stream.Frame;
import org.jspecify.annotations.Nullable;

/**
 * The events of the latest frames of one encoding, by frame number, so that the subscribers
 * on that encoding, who all write the same frames within moments of each other, render each
 * once. A ring of {@value #SLOTS}, as many frames as a subscriber may fall behind by default,
 * so that subscribers catching up on a backlog do not each render it again; a frame further
 * back (a replay) is rendered again, which is correct, only slower. Only events of at most
 * {@value #MAX_EVENT_BYTES} bytes are kept, so that the ring holds at most 32 MB: a larger
 * one costs about as much to render as to copy into a write. Holds the events, not the
 * frames. Thread-safe: two threads that miss the same frame render it twice, harmlessly.
 */
final class RenderedFrames {

	static final int SLOTS = 8192;

	static final int MAX_EVENT_BYTES = 4096;

	private final AtomicReferenceArray<Rendered> slots = new AtomicReferenceArray<>(SLOTS);

	/** The frame's event, if it is still held. */
	byte @Nullable [] get(Frame frame) {
		Rendered held = this.slots.getPlain(slot(frame));
		return (held != null && held.seq() == frame.seq() && held.run().equals(frame.run())) ? held.event() : null;
	}

	void put(Frame frame, byte[] event) {
		if (event.length > MAX_EVENT_BYTES) {
			return;
		}
		// an immutable record, safely seen whole by any thread that reads the slot
		this.slots.setPlain(slot(frame), new Rendered(frame.run(), frame.seq(), event));
	}

	private static int slot(Frame frame) {
		return (int) (frame.seq() & (SLOTS - 1));
	}

	private record Rendered(String run, long seq, byte[] event) {
	}

}
