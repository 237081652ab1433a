package io.tcpbridge.web;

import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A frame holding line feeds (possible in any framing but lf) reaches an SSE client whole:
 * each line is a {@code data:} line, and the client joins them back.
 */
class MultiLineFrameTest {

	@Test
	void lineFeedsInsideAFrameSurviveTheStream() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.mode=crlf")) {
			try (SseClient client = SseClient.open(bridge.port(), "/stream")) {
				await().atMost(Duration.ofSeconds(10)).until(() -> !client.events("connection").isEmpty());
				upstream.latest().write("first\nsecond\n\nfourth\r\n\n\r\n".getBytes());
				await().atMost(Duration.ofSeconds(10)).until(() -> client.events("frame").size() >= 2);
				assertThat(client.events("frame")).extracting(SseClient.Event::data)
					.containsExactly("first\nsecond\n\nfourth", "\n");
			}
		}
	}

}
