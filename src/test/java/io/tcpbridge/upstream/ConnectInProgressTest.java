package io.tcpbridge.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tcpbridge.support.RunningBridge;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * While a connection attempt hangs (the upstream's accept queue is full, so its SYNs go
 * unanswered), sends are refused at once instead of waiting out the connect timeout.
 */
class ConnectInProgressTest {

	private ServerSocket unresponsive;

	private final List<Socket> fillers = new ArrayList<>();

	@BeforeEach
	void anUpstreamWhoseAcceptQueueIsFull() throws IOException {
		this.unresponsive = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		// connect until one hangs: from then on the queue is full and never drained
		for (int i = 0; i < 16; i++) {
			Socket filler = new Socket();
			try {
				filler.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.unresponsive.getLocalPort()), 300);
				this.fillers.add(filler);
			}
			catch (SocketTimeoutException ex) {
				filler.close();
				return;
			}
		}
		throw new IllegalStateException("The accept queue never filled up");
	}

	@AfterEach
	void closeAll() throws IOException {
		for (Socket filler : this.fillers) {
			filler.close();
		}
		this.unresponsive.close();
	}

	@Test
	void sendAnswers503AtOnceWhileTheLinkIsStillConnecting() {
		try (RunningBridge bridge = RunningBridge.start("bridge.upstream.port=" + this.unresponsive.getLocalPort(),
				"bridge.upstream.connect-timeout=30s")) {
			// the attempt hangs: the link stays CONNECTING
			await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
				.until(() -> bridge.link().status().state() == LinkState.CONNECTING);

			assertTimeoutPreemptively(Duration.ofSeconds(2), () -> bridge.http().post().uri("/send")
				.contentType(MediaType.TEXT_PLAIN).body("hello").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader().exists("Retry-After")
				.expectBody().jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("CONNECTING")));
			assertTimeoutPreemptively(Duration.ofSeconds(2), () -> bridge.http().get().uri("/actuator/health/readiness")
				.exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE));
			assertThatNoException().isThrownBy(bridge::close);
		}
	}

	@Test
	void aConnectThatTimesOutIsReportedAndRetried() {
		try (RunningBridge bridge = RunningBridge.start("bridge.upstream.port=" + this.unresponsive.getLocalPort(),
				"bridge.upstream.connect-timeout=300ms")) {
			await().atMost(Duration.ofSeconds(5))
				.until(() -> bridge.link().status().lastError() != null && bridge.link().status().reconnectAttempts() >= 2);
			assertThat(bridge.link().status().lastError().message()).containsIgnoringCase("timed out");
		}
	}

}
