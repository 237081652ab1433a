package io.tcpbridge.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A peer that vanishes without closing is found by the idle timeout; heartbeats keep an
 * idle link busy; the on-connect frames go first on every connection.
 */
class DeadPeerTest {

	@Test
	void aHalfOpenLinkIsFoundWithinTheIdleTimeoutPlusOneSecond() throws IOException {
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket vanished = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			// accepts, then neither reads nor writes nor closes: a peer that is gone
			holdEveryConnection(vanished, held);
			try (RunningBridge bridge = RunningBridge.start("bridge.upstream.port=" + vanished.getLocalPort(),
					"bridge.upstream.idle-timeout=1s", "bridge.upstream.reconnect.initial-delay=5s",
					"bridge.upstream.reconnect.max-delay=5s");
					SseClient stream = SseClient.open(bridge.port(), "/stream")) {
				bridge.awaitState(LinkState.CONNECTED);
				await().atMost(Duration.ofSeconds(2)).until(() -> bridge.link().status().state() == LinkState.DISCONNECTED);

				assertThat(bridge.link().status().lastError().message()).contains("presumed dead");
				bridge.http().get().uri("/actuator/health/readiness").exchange()
					.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
				await().atMost(Duration.ofSeconds(2)).until(() -> stream.events("connection").stream()
					.anyMatch((e) -> e.data().contains("DISCONNECTED") && e.data().contains("presumed dead")));
			}
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void anUpstreamThatStopsReadingFailsTheStuckWriteAndIsReplaced() throws IOException {
		List<Socket> held = new CopyOnWriteArrayList<>();
		try (ServerSocket deaf = new ServerSocket()) {
			deaf.setReceiveBufferSize(4096);
			deaf.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			// accepts and never reads: the bridge's writes fill the buffers and then block
			holdEveryConnection(deaf, held);
			try (RunningBridge bridge = RunningBridge.start("bridge.upstream.port=" + deaf.getLocalPort(),
					"bridge.framing.mode=raw", "bridge.framing.max-frame-size=1MB", "bridge.upstream.write-timeout=1s",
					"bridge.upstream.reconnect.initial-delay=5s", "bridge.upstream.reconnect.max-delay=5s")) {
				bridge.awaitState(LinkState.CONNECTED);
				byte[] megabyte = new byte[1024 * 1024];
				int status = 200;
				for (int n = 0; n < 64 && status == 200; n++) {
					status = bridge.http().post().uri("/send").contentType(MediaType.APPLICATION_OCTET_STREAM)
						.body(megabyte).exchange().returnResult(String.class).getStatus().value();
				}
				assertThat(status).as("a write that could not complete").isEqualTo(503);
				assertThat(bridge.link().status().lastError().message()).contains("stopped reading");
				assertThat(bridge.link().status().state()).isNotEqualTo(LinkState.CONNECTED);
			}
		}
		finally {
			for (Socket socket : held) {
				socket.close();
			}
		}
	}

	@Test
	void heartbeatsKeepAnIdleLinkAliveAndExercised() {
		try (TestUpstream upstream = TestUpstream.onFreePort()) {
			upstream.respondToLines((line) -> line.equals("PING") ? "PONG" : line);
			try (RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.upstream.idle-timeout=1s",
					"bridge.upstream.heartbeat.interval=300ms", "bridge.upstream.heartbeat.payload=PING")) {
				TestUpstream.Connection connection = upstream.latest();
				await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
					.until(() -> bridge.link().isConnected() && upstream.accepted() == 1);
				String written = new String(connection.received(), StandardCharsets.UTF_8);
				assertThat(written.split("\n")).hasSizeGreaterThanOrEqualTo(5).containsOnly("PING");
				assertThat(bridge.received()).isNotEmpty();
			}
		}
	}

	@Test
	void theOnConnectFramesGoFirstOnEveryConnection() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.upstream.on-connect[0]=LOGIN admin",
						"bridge.upstream.on-connect[1]=hex:0102")) {
			bridge.http().post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("after")
				.exchange().expectStatus().isOk();
			byte[] expected = "LOGIN admin\n\u0001\u0002\nafter\n".getBytes(StandardCharsets.UTF_8);
			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.latest().received().length >= expected.length);
			assertThat(upstream.latest().received()).isEqualTo(expected);

			upstream.dropConnections();
			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.accepted() == 2 && bridge.link().isConnected());
			await().atMost(Duration.ofSeconds(5)).until(() -> upstream.latest().received().length >= 15);
			assertThat(upstream.latest().received()).isEqualTo("LOGIN admin\n\u0001\u0002\n".getBytes(StandardCharsets.UTF_8));
		}
	}

	/** Accepts every connection and keeps it open, doing nothing with it, until the listener closes. */
	private static void holdEveryConnection(ServerSocket listener, List<Socket> held) {
		Thread acceptor = new Thread(() -> {
			while (!listener.isClosed()) {
				try {
					held.add(listener.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "holding-upstream");
		acceptor.setDaemon(true);
		acceptor.start();
	}

}
