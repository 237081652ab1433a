package io.tcpbridge.upstream;

import java.time.Duration;

/**
 * A write was refused because the link is not connected; nothing reached the upstream.
 */
public final class UpstreamUnavailableException extends RuntimeException {

	private final LinkStatus status;

	private final Duration retryAfter;

	UpstreamUnavailableException(String message, LinkStatus status, Duration retryAfter) {
		super(message);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	public LinkStatus status() {
		return this.status;
	}

	/** When a retry has a chance: the time until the next connection attempt. */
	public Duration retryAfter() {
		return this.retryAfter;
	}

}
