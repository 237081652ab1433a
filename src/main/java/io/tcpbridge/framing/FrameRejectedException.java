package io.tcpbridge.framing;

/**
 * An outbound payload that cannot travel as one frame in the configured framing.
 */
public final class FrameRejectedException extends IllegalArgumentException {

	/** Why the payload was refused. */
	public enum Reason {

		/** Larger than {@code bridge.framing.max-frame-size} or the length header allows. */
		TOO_LARGE,

		/** Holds the bytes that end a frame, so the peer would read it as two. */
		CONTAINS_DELIMITER,

		/** A whole frame whose length field does not tell its size, or too short to hold the field. */
		LENGTH_MISMATCH

	}

	private final Reason reason;

	FrameRejectedException(Reason reason, String message) {
		super(message);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
