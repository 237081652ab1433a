package io.tcpbridge.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.WebSocketClient;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that stop reading (raw sockets that ask for a stream and never read a byte of it)
 * cost only themselves: healthy SSE and WebSocket subscribers get every frame, in order,
 * under a steady upstream; the stalled ones are closed once the stall timeout passes and
 * counted; and the bridge's threads stay as they were, however many stalled.
 */
class StalledClientsTest {

	private static final Duration WAIT = Duration.ofSeconds(30);

	private static final String PADDING = "x".repeat(1_000);

	/**
	 * A socket that stops reading still takes what its kernel buffers hold (some 3 MB here, the
	 * server's send buffer grown by the kernel) before its client is seen to stall: a first
	 * burst fills them, then the upstream goes on at a steady rate while they are stalled.
	 */
	@Test
	void twoHundredStalledStreamsAndFiftyStalledWebSocketsCostTheHealthyNothing() throws Exception {
		int stalledStreams = 200;
		int stalledSockets = 50;
		int burst = 4_000;
		int frames = burst + 10_000;
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.stream.stall-timeout=8s");
				SseClient healthyStream = SseClient.open(bridge.port(), "/stream");
				WebSocketClient healthySocket = WebSocketClient.connect(bridge.port(), "/ws");
				Sockets stalled = new Sockets()) {
			FrameHub hub = bridge.links().defaultLink().hub();
			await().atMost(WAIT).until(() -> hub.subscriberCounts().get("websocket") == 1);
			for (int i = 0; i < stalledStreams; i++) {
				stalled.add(neverReading(bridge.port(), sseRequest()));
			}
			for (int i = 0; i < stalledSockets; i++) {
				stalled.add(neverReading(bridge.port(), webSocketRequest()));
			}
			await().atMost(WAIT).untilAsserted(() -> assertThat(hub.subscriberCounts())
				.containsEntry("sse", stalledStreams + 1).containsEntry("websocket", stalledSockets + 1));
			// the server took the requests on threads of its pool, which it keeps for a while; from here on, no more
			int threadsBefore = ManagementFactory.getThreadMXBean().getThreadCount();

			// 4 MB at once: more than a stalled socket holds, so that each is left with frames waiting
			upstream.latest().write(frames(0, burst));
			awaitFrames(healthyStream, healthySocket, burst);
			// then 2,000 frames of 1 KB a second for five seconds, while the stalled ones wait
			int peakThreads = steadily(upstream, burst, frames, 2_000);
			awaitFrames(healthyStream, healthySocket, frames);

			List<String> expected = IntStream.range(0, frames).mapToObj(Integer::toString).toList();
			assertThat(healthyStream.events("frame")).extracting((e) -> number(e.data())).containsExactlyElementsOf(expected);
			assertThat(healthySocket.binaryMessages()).extracting((m) -> number(new String(m.bytes(), StandardCharsets.UTF_8)))
				.containsExactlyElementsOf(expected);

			MeterRegistry meters = bridge.context().getBean(MeterRegistry.class);
			await().atMost(WAIT).until(() -> closed(meters, "sse") == stalledStreams && closed(meters, "websocket") == stalledSockets);
			assertThat(hub.subscriberCounts()).containsEntry("sse", 1).containsEntry("websocket", 1);
			assertThat(peakThreads).as(threadsByName()).isLessThanOrEqualTo(threadsBefore + 4);
			assertThat(deliveryThreads()).isLessThanOrEqualTo(DeliveryThreads.count());
		}
	}

	/** The kernel holds at most this much for a client before the bridge sees it stall. */
	@Test
	void everyConnectionHasTheConfiguredSendBuffer() throws Exception {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.stream.socket-send-buffer=96KB")) {
			Server server = ((JettyWebServer) ((WebServerApplicationContext) bridge.context()).getWebServer()).getServer();
			assertThat(server.getConnectors()).singleElement()
				.satisfies((connector) -> assertThat(((ServerConnector) connector).getAcceptedSendBufferSize())
					.isEqualTo(96 * 1024));
		}
	}

	private static void awaitFrames(SseClient stream, WebSocketClient socket, int frames) {
		await().atMost(WAIT).untilAsserted(() -> assertThat(List.of(stream.events("frame").size(),
				socket.binaryMessages().size()))
			.as("frames the healthy SSE and WebSocket subscribers got; SSE gaps %s, WebSocket notices %s",
					stream.events("gap"), socket.textMessages())
			.containsExactly(frames, frames));
	}

	@ParameterizedTest
	@CsvSource({ "drop-oldest, 2", "disconnect, 1" })
	void aStalledSubscriberLosesFramesOrIsDisconnectedAsConfigured(String policy, int subscribersLeft) throws Exception {
		int frames = 4_000;
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.stream.slow-consumer=" + policy,
						"bridge.stream.subscriber-queue=500");
				SseClient healthy = SseClient.open(bridge.port(), "/stream");
				Sockets stalled = new Sockets()) {
			stalled.add(neverReading(bridge.port(), sseRequest()));
			FrameHub hub = bridge.links().defaultLink().hub();
			await().atMost(WAIT).until(() -> hub.subscriberCounts().get("sse") == 2);
			steadily(upstream, 0, frames, 2_000);
			await().atMost(WAIT).until(() -> healthy.events("frame").size() == frames);
			assertThat(healthy.events("gap")).isEmpty();
			await().atMost(WAIT).until(() -> hub.slowConsumerDrops() > 0);
			await().atMost(WAIT).until(() -> hub.subscriberCounts().get("sse") == subscribersLeft);
			bridge.http().get().uri("/api/connection").exchange().expectBody()
				.jsonPath("$.subscriberFramesDropped").value((dropped) -> assertThat(((Number) dropped).longValue()).isPositive());
		}
	}

	private static double closed(MeterRegistry meters, String transport) {
		return meters.get("bridge.subscribers.closed").tag("reason", "stalled").tag("transport", transport).counter().count();
	}

	/** The JVM's threads, counted by name less its number, for a failure message. */
	private static String threadsByName() {
		return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
			.collect(java.util.stream.Collectors.groupingBy((thread) -> thread.getThreadName().replaceAll("\\d+", "#"),
					java.util.TreeMap::new, java.util.stream.Collectors.counting()))
			.toString();
	}

	private static long deliveryThreads() {
		return Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
			.filter((thread) -> thread.getThreadName().startsWith("stream-delivery-"))
			.count();
	}

	/**
	 * Writes numbered frames of 1 KB at a steady rate, a burst every 10 ms, and waits until all
	 * are written; returns the most threads the JVM had meanwhile.
	 */
	private static int steadily(TestUpstream upstream, int from, int to, int perSecond) {
		int perBurst = perSecond / 100;
		AtomicInteger written = new AtomicInteger(from);
		AtomicInteger peakThreads = new AtomicInteger();
		ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
		try {
			clock.scheduleAtFixedRate(() -> {
				int first = written.get();
				if (first >= to) {
					return;
				}
				upstream.latest().write(frames(first, Math.min(to, first + perBurst)));
				written.set(Math.min(to, first + perBurst));
				peakThreads.accumulateAndGet(ManagementFactory.getThreadMXBean().getThreadCount(), Math::max);
			}, 0, 10, TimeUnit.MILLISECONDS);
			await().atMost(WAIT).until(() -> written.get() == to);
		}
		finally {
			clock.shutdownNow();
		}
		return peakThreads.get();
	}

	/** Frames numbered {@code from} to {@code to} (excluded), of 1 KB each, on the wire. */
	private static byte[] frames(int from, int to) {
		StringBuilder wire = new StringBuilder();
		for (int n = from; n < to; n++) {
			wire.append(n).append(':').append(PADDING).append('\n');
		}
		return wire.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String number(String frame) {
		return frame.substring(0, frame.indexOf(':'));
	}

	private static String sseRequest() {
		return "GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
	}

	private static String webSocketRequest() {
		byte[] key = new byte[16];
		Arrays.fill(key, (byte) 7);
		return "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
				+ "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\n\r\n";
	}

	/** Sends the request, then never reads a byte of the answer. */
	private static Socket neverReading(int port, String request) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		OutputStream out = socket.getOutputStream();
		out.write(request.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return socket;
	}

	/** Clients that never read, closed before the bridge, so that it need not wait for them to shut down. */
	private static final class Sockets implements AutoCloseable {

		private final List<Socket> sockets = new ArrayList<>();

		void add(Socket socket) {
			this.sockets.add(socket);
		}

		@Override
		public void close() throws IOException {
			for (Socket socket : this.sockets) {
				socket.close();
			}
		}

	}

}
