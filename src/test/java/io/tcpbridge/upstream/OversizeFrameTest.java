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
 * An inbound frame over the maximum is dropped, counted, logged with its size and shown as
 * the link's last error. Where its length field announced it, the link reads past exactly
 * its bytes and stays on the same connection; where its end was never seen, the rest of the
 * stream cannot be trusted, and the link recovers on a new connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class OversizeFrameTest {

	@Test
	void aFrameWhoseLengthIsKnownIsReadPastOnTheSameConnection(CapturedOutput output) {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.mode=length-2",
						"bridge.framing.max-frame-size=16B")) {
			// a header announcing 17 bytes, then the bytes, then a frame that is fine
			upstream.latest().write(new byte[] { 0, 17, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n',
					'o', 'p', 'q', 0, 2, 'o', 'k' });

			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.received().size() == 1);
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("ok");
			LinkStatus status = bridge.link().status();
			assertThat(status.framesDropped()).isEqualTo(1);
			assertThat(status.framesIn()).isEqualTo(1);
			assertThat(status.lastError().message()).contains("17 bytes").contains("16 bytes");
			assertThat(upstream.accepted()).isEqualTo(1);
			assertThat(upstream.latest().isOpen()).isTrue();
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.singleElement().asString().contains("Link default (127.0.0.1:").contains(") dropped an inbound frame").contains("17 bytes")
			.contains("the connection stays in step");
	}

	@Test
	void aFrameWhoseEndNeverCameReplacesTheConnection(CapturedOutput output) {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.max-frame-size=16B")) {
			TestUpstream.Connection first = upstream.latest();
			// 17 bytes and no line feed within the maximum
			first.write("abcdefghijklmnopq\nok\n".getBytes(StandardCharsets.UTF_8));

			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.accepted() == 2 && bridge.link().isConnected());
			LinkStatus status = bridge.link().status();
			assertThat(status.framesDropped()).isEqualTo(1);
			assertThat(status.framesIn()).isZero();
			assertThat(status.lastError().message()).contains("16 bytes");
			assertThat(first.closedByPeer()).isTrue();

			upstream.latest().write("after\n".getBytes(StandardCharsets.UTF_8));
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.received().size() == 1);
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("after");
		}
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.singleElement().asString().contains("Link default (127.0.0.1:").contains(") dropped an inbound frame").contains("replacing the connection");
	}

}
