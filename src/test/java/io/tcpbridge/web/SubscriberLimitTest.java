package io.tcpbridge.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.WebSocketClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Past {@code bridge.stream.max-subscribers}, a new subscriber is turned away at once, with
 * a reason: SSE with a 503 problem, WebSocket with close code 1013. A place that frees up
 * lets the next one in.
 */
@BridgeTest(properties = "bridge.stream.max-subscribers=2")
class SubscriberLimitTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	int port;

	@Autowired
	FrameHub hub;

	@Test
	void aSubscriberOverTheLimitIsTurnedAwayWithAReason() throws IOException, InterruptedException {
		try (SseClient first = SseClient.open(this.port, "/stream");
				WebSocketClient second = WebSocketClient.connect(this.port, "/ws")) {
			await().atMost(WAIT).until(() -> this.hub.subscriberCounts().values().stream().mapToInt(Integer::intValue).sum() == 2);

			HttpResponse<String> refused = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/stream"))
					.header("Accept", "text/event-stream")
					.timeout(WAIT)
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
					(type) -> assertThat(type).startsWith("application/problem+json"));
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			assertThat(refused.body()).contains("\"title\":\"Too many subscribers\"")
				.contains("bridge.stream.max-subscribers");

			try (WebSocketClient third = WebSocketClient.connect(this.port, "/ws")) {
				await().atMost(WAIT).until(() -> third.closeCode() != null);
				assertThat(third.closeCode()).isEqualTo(1013);
				assertThat(third.closeReason()).contains("too many subscribers");
			}

			// a WebSocket's close is seen at once (an SSE client's only at the next write)
			second.close();
			await().atMost(WAIT).until(() -> this.hub.subscriberCounts().get("websocket") == 0);
			try (SseClient next = SseClient.open(this.port, "/stream")) {
				await().atMost(WAIT).until(() -> !next.events("connection").isEmpty());
				assertThat(next.status()).isEqualTo(200);
			}
		}
	}

}
