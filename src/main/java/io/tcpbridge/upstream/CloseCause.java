package io.tcpbridge.upstream;

/**
 * Why the link closes its own connection, when it does; a close with none is the
 * upstream's, or the network's. The reader fails too when the link closes the connection:
 * with a cause set, that failure is not recorded as the link's error.
 */
sealed interface CloseCause {

	/** The operator asked for a new connection: connect again at once. */
	CloseCause RECONNECT = new Reconnect();

	/** The reason the link gives for going down. */
	String reason();

	/** {@code POST .../reconnect}. */
	record Reconnect() implements CloseCause {

		@Override
		public String reason() {
			return "reconnect requested";
		}

	}

	/**
	 * A watchdog found the upstream silent, or not reading: closed, and reconnected after
	 * the backoff, as for a lost connection.
	 *
	 * @param reason what the watchdog found, naming its setting
	 */
	record PresumedDead(String reason) implements CloseCause {
	}

}
