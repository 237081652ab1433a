package io.tcpbridge.upstream;

import io.tcpbridge.framing.FrameCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * One log line per change of a link, naming the link and its upstream, with the reason: what
 * an operator reads in place of a stack trace.
 */
final class LinkStateLogger {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private final String link;

	private final FrameCodec codec;

	/**
	 * @param link how the link is named, {@code Link plc1 (10.0.0.7:502)}
	 */
	LinkStateLogger(String link, FrameCodec codec) {
		this.link = link;
		this.codec = codec;
	}

	void log(LinkStateChangedEvent event) {
		switch (event.state()) {
			case CONNECTING -> logger.info(this.link + " connecting");
			case CONNECTED -> logger.info(this.link + " connected (" + this.codec + ")");
			case DISCONNECTED -> logger.info(this.link + " disconnected: " + event.reason() + "; next attempt in "
					+ ((event.retryIn() != null) ? event.retryIn().toMillis() : 0) + " ms");
			case STOPPED -> logger.info(this.link + " stopped");
		}
	}

}
