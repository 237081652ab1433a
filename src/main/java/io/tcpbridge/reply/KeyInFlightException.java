package io.tcpbridge.reply;

/** A request with the same key waits for its reply, so a reply could not be told between them; nothing was sent. */
public final class KeyInFlightException extends RuntimeException {

	KeyInFlightException(String key) {
		super("A request with the key " + key + " already waits for its reply (a late one included), and their "
				+ "replies could not be told apart; nothing was sent. Use another key, or wait for that reply");
	}

}
