package io.tcpbridge.web;

import java.time.Duration;
import java.util.Arrays;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.WebSocketClient;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /ws} with the JDK's WebSocket client: frames out as messages, messages in as
 * frames, and every refusal as a close status that says why.
 */
@BridgeTest(properties = "bridge.framing.max-frame-size=1KB")
class WebSocketEndpointTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Autowired
	private RestTestClient http;

	@BeforeEach
	void connected() {
		this.link.start();
		await().atMost(WAIT).until(() -> this.link.isConnected());
	}

	@Test
	void framesAreBinaryMessagesAndNoticesAreText() {
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			await().atMost(WAIT).until(() -> !ws.textMessages().isEmpty());
			assertThat(ws.textMessages().get(0).text()).contains("\"event\":\"connection\"").contains("\"state\":\"CONNECTED\"");
			this.upstream.latest().write(new byte[] { 'h', 'i', '\n', (byte) 0xFF, '\n' });
			await().atMost(WAIT).until(() -> ws.binaryMessages().size() >= 2);
			assertThat(ws.binaryMessages().get(0).bytes()).isEqualTo("hi".getBytes());
			assertThat(ws.binaryMessages().get(1).bytes()).isEqualTo(new byte[] { (byte) 0xFF });
		}
	}

	@Test
	void inTextModeFramesAreTextAndNonTextFramesStayBinary() {
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws?encoding=utf8")) {
			await().atMost(WAIT).until(() -> this.http.get().uri("/api/connection").exchange().returnResult(String.class)
				.getResponseBody().contains("\"websocket\":1"));
			this.upstream.latest().write(new byte[] { 'h', 'i', '\n', (byte) 0xFF, '\n' });
			await().atMost(WAIT).until(() -> ws.messages().size() >= 2);
			assertThat(ws.messages().get(0).text()).isEqualTo("hi");
			assertThat(ws.messages().get(1).bytes()).isEqualTo(new byte[] { (byte) 0xFF });
		}
	}

	@Test
	void eachMessageIsWrittenUpstreamAsOneFrame() {
		int before = this.upstream.latest().received().length;
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			ws.sendText("héllo");
			ws.sendBinary(new byte[] { 0, 1, 2 });
			byte[] expected = { 'h', (byte) 0xC3, (byte) 0xA9, 'l', 'l', 'o', '\n', 0, 1, 2, '\n' };
			await().atMost(WAIT).until(() -> this.upstream.latest().received().length >= before + expected.length);
			byte[] all = this.upstream.latest().received();
			assertThat(Arrays.copyOfRange(all, before, all.length)).isEqualTo(expected);
		}
	}

	@Test
	void aFrameHoldingTheDelimiterClosesWithBadData() {
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			ws.sendText("two\nlines");
			await().atMost(WAIT).until(() -> ws.closeCode() != null);
			assertThat(ws.closeCode()).isEqualTo(1007);
			assertThat(ws.closeReason()).contains("delimiter");
		}
	}

	@Test
	void aFrameOverTheMaximumClosesWithTooBig() {
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			ws.sendBinary(new byte[1025]);
			await().atMost(WAIT).until(() -> ws.closeCode() != null);
			assertThat(ws.closeCode()).isEqualTo(1009);
		}
	}

	@Test
	void whileTheUpstreamIsDownAMessageClosesWithTryAgainLater() {
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			this.link.stop();
			ws.sendText("hello");
			await().atMost(WAIT).until(() -> ws.closeCode() != null);
			assertThat(ws.closeCode()).isEqualTo(1013);
			assertThat(ws.closeReason()).contains("STOPPED");
		}
	}

	@Test
	void anUnknownEncodingIsRefusedBeforeTheUpgrade() {
		this.http.get().uri("/ws?encoding=ebcdic").header("Upgrade", "websocket").header("Connection", "Upgrade")
			.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13")
			.exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.title").isEqualTo("Unknown encoding");
	}

}
