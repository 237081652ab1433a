package io.tcpbridge.framing;

import java.io.IOException;

/**
 * An inbound frame larger than {@code bridge.framing.max-frame-size}. Thrown when its end
 * was never seen: the rest of the stream cannot be trusted to be in step, so the link that
 * read it is replaced. A frame whose length field announced it is skipped instead, and told
 * ({@link FrameCodec#onSkipped}).
 */
public final class FrameTooLargeException extends IOException {

	private final long size;

	private final int limit;

	private FrameTooLargeException(String message, long size, int limit) {
		super(message);
		this.size = size;
		this.limit = limit;
	}

	/** A length field announced a frame over the limit. */
	static FrameTooLargeException announced(long size, int limit) {
		return new FrameTooLargeException("Inbound frame of " + size + " bytes exceeds the limit of " + limit
				+ " bytes (bridge.framing.max-frame-size)", size, limit);
	}

	/** No end of frame came within the limit; the frame has at least {@code limit + 1} bytes. */
	static FrameTooLargeException withoutEnd(int limit, String what) {
		return new FrameTooLargeException("Inbound frame exceeds the limit of " + limit
				+ " bytes (bridge.framing.max-frame-size): " + what + " within " + limit + " bytes", limit + 1L, limit);
	}

	/** The frame's size in bytes, or the least it can be when its end was never seen. */
	public long size() {
		return this.size;
	}

	public int limit() {
		return this.limit;
	}

}
