package io.tcpbridge.web.sse;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stream written without blocking, against real clients: a frame larger than a part of a
 * write, a backlog larger than many, and a client that stops reading for a while and then
 * reads on, which gets everything that waited, in order.
 */
@ExtendWith(OutputCaptureExtension.class)
class SseStreamTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void aFrameFarLargerThanAPartReachesAClientWhole() {
		String payload = "0123456789".repeat(20_000);
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.max-frame-size=1MB");
				SseClient client = SseClient.open(bridge.port(), "/stream")) {
			await().atMost(WAIT).until(() -> !client.events("connection").isEmpty());
			upstream.latest().write((payload + "\nafter\n").getBytes(StandardCharsets.US_ASCII));
			await().atMost(WAIT).until(() -> client.events("frame").size() >= 2);
			assertThat(client.events("frame")).extracting(SseClient.Event::data).containsExactly(payload, "after");
		}
	}

	@Test
	void aClientThatPausesGetsEverythingThatWaitedOnceItReadsOn() throws IOException {
		int frames = 3_000;
		String padding = "p".repeat(1_000);
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream);
				Socket paused = new Socket()) {
			paused.setReceiveBufferSize(4096);
			paused.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), bridge.port()));
			paused.getOutputStream().write("GET /stream HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
			await().atMost(WAIT).until(() -> bridge.links().defaultLink().hub().subscriberCounts().get("sse") == 1);
			// 3 MB for a client that reads nothing yet: far more than its socket holds
			upstream.latest().write(IntStream.range(0, frames).mapToObj((n) -> n + ":" + padding + "\n")
				.collect(Collectors.joining()).getBytes(StandardCharsets.US_ASCII));
			await().atMost(WAIT).until(() -> bridge.received().size() == frames);

			List<String> data = readFrames(paused.getInputStream(), frames);
			assertThat(data).extracting((line) -> line.substring(0, line.indexOf(':')))
				.containsExactlyElementsOf(IntStream.range(0, frames).mapToObj(Integer::toString).toList());
		}
	}

	/**
	 * A client that goes away, found out by a write that fails, leaves no request behind: the
	 * server would otherwise keep it as active, with its connection and stream, for as long as
	 * the bridge runs, and a graceful shutdown would wait its whole timeout for it.
	 */
	@Test
	void aClientThatGoesAwayLeavesNoRequestForTheShutdownToWaitFor(CapturedOutput output) throws IOException {
		try (TestUpstream upstream = TestUpstream.onFreePort()) {
			RunningBridge bridge = RunningBridge.connectedTo(upstream);
			FrameHub hub = bridge.links().defaultLink().hub();
			try (Socket gone = new Socket(InetAddress.getLoopbackAddress(), bridge.port())) {
				gone.getOutputStream().write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				await().atMost(WAIT).until(() -> hub.subscriberCounts().get("sse") == 1);
			}
			// frames until a write to it fails
			await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
				upstream.latest().write("tick\n".getBytes(StandardCharsets.US_ASCII));
				return hub.subscriberCounts().get("sse") == 0;
			});
			bridge.close();
			assertThat(output).contains("Graceful shutdown complete").doesNotContain("requests still active");
		}
	}

	/**
	 * The data of the first {@code count} frame events, read off a raw HTTP/1.0 response (not
	 * chunked): its events end with a blank line, and the stream begins with one connection event.
	 */
	private static List<String> readFrames(InputStream in, int count) throws IOException {
		ByteArrayOutputStream text = new ByteArrayOutputStream();
		byte[] buffer = new byte[64 * 1024];
		int events = 0;
		int previous = 0;
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (events < count + 1) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("only " + events + " events came");
			}
			int n = in.read(buffer);
			if (n < 0) {
				break;
			}
			for (int i = 0; i < n; i++) {
				if (buffer[i] == '\n' && previous == '\n') {
					events++;
				}
				previous = buffer[i];
			}
			text.write(buffer, 0, n);
		}
		return text.toString(StandardCharsets.US_ASCII).lines()
			.filter((line) -> line.startsWith("data: ") && line.contains(":p"))
			.map((line) -> line.substring("data: ".length()))
			.toList();
	}

}
