package io.tcpbridge.framing;

import java.io.IOException;

/**
 * The bytes on the wire do not follow the framing: the stream is out of step with the codec.
 */
public final class MalformedFrameException extends IOException {

	MalformedFrameException(String message) {
		super(message);
	}

}
