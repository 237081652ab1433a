package io.tcpbridge.upstream;

import java.time.Duration;
import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * A consistent picture of a link at one moment: what {@code GET /api/links/<name>} and the
 * health endpoint show.
 *
 * @param name the link's name
 * @param state where the link stands
 * @param host the upstream host
 * @param port the upstream port
 * @param framing the framing mode, as configured
 * @param maxFrameSize the largest frame, in bytes
 * @param connectedSince when the current connection opened, while connected
 * @param lastError the most recent fault of the link, kept after it recovers
 * @param reconnectAttempts attempts since the link was last connected
 * @param nextAttemptAt when the next attempt is due, while disconnected
 * @param backoffDelay the wait chosen after the latest failure; zero once connected long enough
 * @param lastFrameIn when the last frame arrived from the upstream
 * @param lastFrameOut when the last frame was written to the upstream
 * @param framesIn frames received since start
 * @param bytesIn payload bytes received since start
 * @param framesOut frames written since start
 * @param bytesOut payload bytes written since start
 * @param framesDropped inbound frames dropped since start: larger than the maximum, cut short
 * by a close, or not in the framing
 * @param heldBy in a cluster, the replica that holds the link and its connection; the
 * counters are this replica's own
 */
public record LinkStatus(String name, LinkState state, String host, int port, String framing, int maxFrameSize,
		@Nullable Instant connectedSince, @Nullable LinkError lastError, long reconnectAttempts,
		@Nullable Instant nextAttemptAt, Duration backoffDelay, @Nullable Instant lastFrameIn, @Nullable Instant lastFrameOut,
		long framesIn, long bytesIn, long framesOut, long bytesOut, long framesDropped,
		@JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String heldBy) {

	public boolean connected() {
		return this.state == LinkState.CONNECTED;
	}

	/**
	 * This status as a replica tells of a link another replica holds: in the state that
	 * replica gave it, since when, and with its reason.
	 */
	public LinkStatus heldBy(@Nullable String node, LinkState held, @Nullable Instant since, @Nullable LinkError error) {
		return new LinkStatus(this.name, held, this.host, this.port, this.framing, this.maxFrameSize,
				(held == LinkState.CONNECTED) ? since : null, (error != null) ? error : this.lastError,
				this.reconnectAttempts, null, Duration.ZERO, this.lastFrameIn, this.lastFrameOut, this.framesIn,
				this.bytesIn, this.framesOut, this.bytesOut, this.framesDropped, node);
	}

	/** This status, of the link this replica holds itself. */
	public LinkStatus heldBy(String node) {
		return new LinkStatus(this.name, this.state, this.host, this.port, this.framing, this.maxFrameSize,
				this.connectedSince, this.lastError, this.reconnectAttempts, this.nextAttemptAt, this.backoffDelay,
				this.lastFrameIn, this.lastFrameOut, this.framesIn, this.bytesIn, this.framesOut, this.bytesOut,
				this.framesDropped, node);
	}

	/** A fault of the link, as an operator reads it. */
	public record LinkError(String message, Instant at) {
	}

}
