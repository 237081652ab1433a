package io.tcpbridge.upstream;

import io.tcpbridge.framing.FrameCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * One log line per change of the link, with the upstream's address and the reason: what an
 * operator reads in place of a stack trace.
 */
@Component
class LinkStateLogger {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private final String upstream;

	private final FrameCodec codec;

	LinkStateLogger(UpstreamProperties properties, FrameCodec codec) {
		this.upstream = "Upstream " + properties.address();
		this.codec = codec;
	}

	@EventListener
	void log(LinkStateChangedEvent event) {
		switch (event.state()) {
			case CONNECTING -> logger.info(this.upstream + " connecting");
			case CONNECTED -> logger.info(this.upstream + " connected (" + this.codec + ")");
			case DISCONNECTED -> logger.info(this.upstream + " disconnected: " + event.reason() + "; next attempt in "
					+ ((event.retryIn() != null) ? event.retryIn().toMillis() : 0) + " ms");
			case STOPPED -> logger.info(this.upstream + " stopped");
		}
	}

}
