package io.tcpbridge.upstream;

import java.util.concurrent.TimeUnit;

import io.tcpbridge.framing.FrameTooLargeException;
import io.tcpbridge.framing.MalformedFrameException;
import io.tcpbridge.framing.TruncatedFrameException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Inbound frames a link loses, counted by reason and logged so that an operator sees them:
 * one read past in place (over the maximum, its length known), logged at most once a second
 * for an upstream that sends nothing but; and those that cost the connection (over the
 * maximum with no length to skip by, not in the framing, cut short by a close).
 */
final class DroppedFrames {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private final String link;

	private final LinkTraffic traffic;

	/** When a skipped frame was last logged, on the reading thread. */
	private long lastSkipLoggedNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);

	/**
	 * @param link how the link is named in the log
	 */
	DroppedFrames(String link, LinkTraffic traffic) {
		this.link = link;
		this.traffic = traffic;
	}

	/** A frame over the maximum whose length the codec knew, and read past: the connection stays, in step. */
	void skipped(FrameTooLargeException frame) {
		this.traffic.droppedOversize();
		long now = System.nanoTime();
		if (now - this.lastSkipLoggedNanos >= TimeUnit.SECONDS.toNanos(1)) {
			this.lastSkipLoggedNanos = now;
			logger.warn(this.link + " dropped an inbound frame: " + frame.getMessage() + "; read past it, the "
					+ "connection stays in step (" + this.traffic.framesDroppedOversize() + " dropped as too large so far)");
		}
	}

	/** Why the reader failed, if it lost a frame: counted, and logged where it replaces the connection. */
	void readerFailed(Throwable cause) {
		if (cause instanceof TruncatedFrameException) {
			this.traffic.droppedTruncated();
		}
		else if (cause instanceof FrameTooLargeException) {
			this.traffic.droppedOversize();
			logger.warn(this.link + " dropped an inbound frame: " + cause.getMessage()
					+ "; replacing the connection to stay in step");
		}
		else if (cause instanceof MalformedFrameException) {
			this.traffic.droppedMalformed();
			logger.warn(this.link + " dropped inbound bytes: " + cause.getMessage()
					+ "; replacing the connection to stay in step");
		}
	}

}
