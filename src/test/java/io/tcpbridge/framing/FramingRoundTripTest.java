package io.tcpbridge.framing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.Wire;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE;

/**
 * Every framing mode that carries a payload as the client sent it (the whole-frame ones are
 * in {@link ModbusTcpTest} and {@link LengthFieldFrameCodecTest}) through the running
 * application and a real socket: a frame posted over
 * HTTP reaches the upstream in the mode's wire format, and a frame the upstream writes
 * reaches the bridge whole.
 */
@ExtendWith(OutputCaptureExtension.class)
class FramingRoundTripTest {

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void framesTravelBothWays(FramingMode mode, CapturedOutput output) {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.mode=" + mode.configName())) {
			bridge.http()
				.post()
				.uri("/send")
				.contentType(MediaType.APPLICATION_JSON)
				.body("{\"data\": \"cGluZ+kBAg==\", \"encoding\": \"base64\"}")
				.exchange()
				.expectStatus()
				.isOk()
				.expectBody()
				.json("{\"bytes\": 7}");
			byte[] expected = Wire.frame(mode, new byte[] { 'p', 'i', 'n', 'g', (byte) 0xE9, 1, 2 });
			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.latest().received().length >= expected.length);
			assertThat(upstream.latest().received()).isEqualTo(expected);

			upstream.latest().write(Wire.frame(mode, "pong"));
			await().atMost(Duration.ofSeconds(5)).until(() -> !bridge.received().isEmpty());
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("pong");
			assertThat(bridge.link().status().framesIn()).isEqualTo(1);
			assertThat(bridge.link().status().framesOut()).isEqualTo(1);
		}
		assertThat(output.getAll()).doesNotContain(" WARN ").doesNotContain(" ERROR ");
	}

}
