package io.tcpbridge.framing;

import java.io.EOFException;

/**
 * The stream ended in the middle of a frame: the bytes read of it are lost with it.
 */
public final class TruncatedFrameException extends EOFException {

	private final int bytesRead;

	TruncatedFrameException(int bytesRead) {
		super("Stream closed in the middle of a frame, after " + bytesRead + " bytes of it");
		this.bytesRead = bytesRead;
	}

	/** How many bytes of the unfinished frame (header included) had arrived. */
	public int bytesRead() {
		return this.bytesRead;
	}

}
