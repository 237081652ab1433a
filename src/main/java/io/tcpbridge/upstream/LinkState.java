package io.tcpbridge.upstream;

/**
 * Where the link to the upstream stands.
 */
public enum LinkState {

	/** A connection attempt is under way. */
	CONNECTING,

	/** Connected: frames flow both ways. */
	CONNECTED,

	/** Not connected; the next attempt is scheduled. */
	DISCONNECTED,

	/** Closed by an operator (or shutdown), and kept closed until started again. */
	STOPPED

}
