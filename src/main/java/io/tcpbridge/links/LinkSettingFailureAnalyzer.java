package io.tcpbridge.links;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a refused link setting as Boot reports a bad property: what is wrong, and where. */
class LinkSettingFailureAnalyzer extends AbstractFailureAnalyzer<LinkSettingException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LinkSettingException cause) {
		return new FailureAnalysis(cause.getMessage(),
				"Update the bridge's configuration: each link is bridge.links.<name>.upstream|framing|reply|stream.*, "
						+ "or, for a bridge of one link, bridge.upstream|framing|reply.*",
				cause);
	}

}
