package io.tcpbridge.upstream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An inbound frame over the maximum is dropped, counted, logged once with its size, shown as
 * the link's last error, and the link recovers on a new connection instead of reading the
 * rest of the stream out of step.
 */
@ExtendWith(OutputCaptureExtension.class)
class OversizeFrameTest {

	@Test
	void anOversizedFrameIsDroppedAndTheLinkRecovers(CapturedOutput output) {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.mode=length-2",
						"bridge.framing.max-frame-size=16B")) {
			TestUpstream.Connection first = upstream.latest();
			// a header announcing 17 bytes, then the bytes, then a frame that is fine
			first.write(new byte[] { 0, 17, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
					'p', 'q', 0, 2, 'o', 'k' });

			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.accepted() == 2 && bridge.link().isConnected());
			LinkStatus status = bridge.link().status();
			assertThat(status.framesDropped()).isEqualTo(1);
			assertThat(status.framesIn()).isZero();
			assertThat(status.lastError().message()).contains("17 bytes").contains("16 bytes");
			assertThat(first.closedByPeer()).isTrue();

			upstream.latest().write(new byte[] { 0, 5, 'a', 'f', 't', 'e', 'r' });
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.received().size() == 1);
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("after");
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.singleElement().asString().contains("Dropped an inbound frame").contains("17 bytes");
	}

}
