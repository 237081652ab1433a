package io.tcpbridge.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A subscriber that stops reading (a raw socket that never reads) costs only itself: a
 * healthy subscriber gets every frame, in step with the upstream, while the stalled ones
 * lose frames or are disconnected, as configured, and the loss is counted; also when more
 * of them block in writes than there are delivery threads.
 */
class SlowSubscriberTest {

	private static final int FRAMES_PER_BURST = 1_000;

	private static final int BURSTS = 20;

	private static final Duration WAIT = Duration.ofSeconds(20);

	@ParameterizedTest
	@CsvSource({ "drop-oldest, 2", "disconnect, 1" })
	void aStalledSubscriberDoesNotSlowAHealthyOne(String policy, int subscribersLeft) throws IOException {
		healthyKeepsUpWith(1, policy, subscribersLeft);
	}

	/**
	 * More stalled subscribers than there are delivery threads: each blocks its thread in a
	 * write, and the pool adds threads in their place.
	 */
	@ParameterizedTest
	@CsvSource({ "drop-oldest", "disconnect" })
	void moreStalledSubscribersThanDeliveryThreadsDoNotSlowAHealthyOne(String policy) throws IOException {
		int stalled = DeliveryThreads.baseCount() + 2;
		healthyKeepsUpWith(stalled, policy, policy.equals("disconnect") ? 1 : stalled + 1);
	}

	private void healthyKeepsUpWith(int stalledCount, String policy, int subscribersLeft) throws IOException {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.stream.slow-consumer=" + policy,
						"bridge.stream.subscriber-queue=2000");
				SseClient healthy = SseClient.open(bridge.port(), "/stream");
				Stalled stalled = new Stalled()) {
			for (int i = 0; i < stalledCount; i++) {
				stalled.sockets.add(neverReading(bridge.port()));
			}
			FrameHub hub = bridge.context().getBean(FrameHub.class);
			await().atMost(WAIT).until(() -> hub.subscriberCounts().get("sse") == stalledCount + 1);

			String padding = "x".repeat(1_000);
			for (int burst = 0; burst < BURSTS; burst++) {
				int first = burst * FRAMES_PER_BURST;
				List<String> frames = IntStream.range(first, first + FRAMES_PER_BURST).mapToObj((n) -> n + ":" + padding)
					.toList();
				upstream.latest().write((String.join("\n", frames) + "\n").getBytes(StandardCharsets.UTF_8));
				// the healthy subscriber keeps up with every burst
				await().atMost(WAIT).until(() -> healthy.events("frame").size() >= first + FRAMES_PER_BURST);
			}

			assertThat(healthy.events("gap")).isEmpty();
			assertThat(healthy.events("frame")).extracting((e) -> e.data().substring(0, e.data().indexOf(':')))
				.containsExactlyElementsOf(IntStream.range(0, BURSTS * FRAMES_PER_BURST).mapToObj(Integer::toString).toList());
			await().atMost(WAIT).until(() -> hub.slowConsumerDrops() > 0);
			await().atMost(WAIT).until(() -> hub.subscriberCounts().get("sse") == subscribersLeft);
			bridge.http().get().uri("/api/connection").exchange().expectBody()
				.jsonPath("$.subscriberFramesDropped").value((dropped) -> assertThat(((Number) dropped).longValue()).isPositive());
		}
	}

	/** Subscribers that never read, closed before the bridge, so that it need not wait for them to shut down. */
	private static final class Stalled implements AutoCloseable {

		private final List<Socket> sockets = new ArrayList<>();

		@Override
		public void close() throws IOException {
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

	/** Asks for the stream, then never reads a byte of it. */
	private static Socket neverReading(int port) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		OutputStream out = socket.getOutputStream();
		out.write(("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

}
