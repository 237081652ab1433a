package io.tcpbridge.stream;

/**
 * Why a subscriber's stream ended: the tag of {@code bridge.subscribers.closed}.
 */
public enum CloseReason {

	/** The client left, or its connection failed under a write. */
	CLIENT("client"),

	/** Its socket took nothing for {@code bridge.stream.stall-timeout} while frames waited. */
	STALLED("stalled"),

	/** Its queue overflowed under {@code bridge.stream.slow-consumer=disconnect}. */
	SLOW_CONSUMER("slow-consumer"),

	/** It sent what the bridge cannot write upstream (WebSocket): too large, empty, not allowed. */
	REJECTED_MESSAGE("rejected-message"),

	/**
	 * The cluster's shared stream began anew, in another run (a Redis that came back
	 * empty). The client comes back with its last id and is told what it missed.
	 */
	RESYNCED("resynced"),

	/** The bridge is shutting down. */
	SHUTDOWN("shutdown");

	private final String tag;

	CloseReason(String tag) {
		this.tag = tag;
	}

	public String tag() {
		return this.tag;
	}

}
