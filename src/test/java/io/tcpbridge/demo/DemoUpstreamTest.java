package io.tcpbridge.demo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.http.MediaType;
import org.springframework.test.util.TestSocketUtils;

import static org.awaitility.Awaitility.await;

/**
 * With the demo upstream on, frames flow at once: ticks arrive on their own, and a frame
 * sent is echoed back, in the configured framing.
 */
class DemoUpstreamTest {

	@ParameterizedTest
	@CsvSource({ "lf", "length-2" })
	void ticksArriveAndSentFramesAreEchoed(String mode) {
		int port = TestSocketUtils.findAvailableTcpPort();
		try (RunningBridge bridge = RunningBridge.start("bridge.demo.enabled=true", "bridge.demo.port=" + port,
				"bridge.upstream.port=" + port, "bridge.demo.tick-interval=100ms", "bridge.framing.mode=" + mode)) {
			bridge.awaitState(LinkState.CONNECTED);
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.received().stream()
				.anyMatch((frame) -> new String(frame, StandardCharsets.UTF_8).matches("tick \\d+")));

			bridge.http().post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("echo me").exchange()
				.expectStatus().isOk();
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.received().stream()
				.anyMatch((frame) -> new String(frame, StandardCharsets.UTF_8).equals("echo me")));
		}
	}

}
