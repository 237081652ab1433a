package io.tcpbridge.stream;

/**
 * A new subscriber was turned away: the bridge already serves as many as
 * {@code bridge.stream.max-subscribers} allows.
 */
public final class TooManySubscribersException extends RuntimeException {

	TooManySubscribersException(int limit) {
		super("The bridge already serves " + limit + " subscribers, its limit (bridge.stream.max-subscribers)");
	}

}
