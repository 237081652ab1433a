package io.tcpbridge.reply;

/** As many requests wait for their replies as {@code bridge.reply.max-in-flight} allows; nothing was sent. */
public final class TooManyInFlightException extends RuntimeException {

	TooManyInFlightException(int max) {
		super(max + " requests already wait for their replies, the most bridge.reply.max-in-flight allows; "
				+ "nothing was sent");
	}

}
