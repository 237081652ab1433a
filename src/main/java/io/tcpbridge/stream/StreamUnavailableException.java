package io.tcpbridge.stream;

/**
 * A new subscriber was turned away because this replica cannot vouch for the link's stream
 * yet: it has not reached the cluster's Redis, which numbers the frames.
 */
public final class StreamUnavailableException extends RuntimeException {

	StreamUnavailableException(String message) {
		super(message);
	}

}
