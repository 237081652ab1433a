package io.tcpbridge.security;

import java.net.URI;
import java.time.Duration;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.WebSocketClient;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * With tokens set, every endpoint but health and info refuses a request without one, takes
 * one with the right token, and a read token cannot send.
 */
@BridgeTest(properties = { "bridge.security.read-tokens=reader-1, reader-2", "bridge.security.write-tokens=writer",
		"bridge.security.metrics-tokens=scraper", "bridge.security.allowed-origins=https://ops.example",
		"management.prometheus.metrics.export.enabled=true" })
class AccessTokenTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@BeforeEach
	void connected() {
		this.link.start();
		await().atMost(WAIT).until(() -> this.link.isConnected());
	}

	@ParameterizedTest
	@CsvSource({ "GET, /actuator/health", "GET, /actuator/health/readiness", "GET, /actuator/health/liveness",
			"GET, /actuator/info", "GET, /" })
	void healthInfoAndTheConsolePageAreOpen(String method, String path) {
		this.http.method(HttpMethod.valueOf(method)).uri(path).exchange().expectStatus().is2xxSuccessful();
	}

	@ParameterizedTest
	@CsvSource({ "GET, /api/connection", "POST, /send", "POST, /api/connection/reconnect", "GET, /stream",
			"GET, /actuator/prometheus", "GET, /v3/api-docs" })
	void everythingElseWantsAToken(String method, String path) {
		this.http.method(HttpMethod.valueOf(method)).uri(path).exchange()
			.expectStatus().isUnauthorized()
			.expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"tcp-bridge\"")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Token required");
		this.http.method(HttpMethod.valueOf(method)).uri(path).header("Authorization", "Bearer guess").exchange()
			.expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.title").isEqualTo("Unknown token");
	}

	@Test
	void aReadTokenReadsButCannotSendOrControl() {
		this.http.get().uri("/api/connection").header("Authorization", "Bearer reader-2").exchange().expectStatus().isOk();
		this.http.post().uri("/send").header("Authorization", "Bearer reader-1").contentType(MediaType.TEXT_PLAIN)
			.body("hi").exchange().expectStatus().isForbidden()
			.expectBody().jsonPath("$.detail").value((d) -> assertThat(d.toString()).contains("write token"));
		this.http.post().uri("/api/connection/stop").header("Authorization", "Bearer reader-1").exchange()
			.expectStatus().isForbidden();
		this.http.get().uri("/actuator/prometheus").header("Authorization", "Bearer reader-1").exchange()
			.expectStatus().isForbidden();
		assertThat(this.link.isConnected()).isTrue();
	}

	@ParameterizedTest
	@CsvSource({ "/%73end", "/send;x=1", "/api/%63onnection/stop", "//send" })
	void anEncodedOrDecoratedPathDoesNotGetPastTheRules(String path) {
		this.http.post().uri(URI.create("http://127.0.0.1:" + this.port + path))
			.header("Authorization", "Bearer reader-1").contentType(MediaType.TEXT_PLAIN).body("sneaky").exchange()
			.expectStatus().value((status) -> assertThat(status).isIn(403, 404, 400));
		assertThat(this.link.isConnected()).isTrue();
		assertThat(this.link.status().framesOut()).isZero();
	}

	@Test
	void aWriteTokenSendsControlsAndReads() {
		this.http.post().uri("/send").header("Authorization", "Bearer writer").contentType(MediaType.TEXT_PLAIN)
			.body("hi").exchange().expectStatus().isOk();
		this.http.post().uri("/api/connection/reconnect").header("Authorization", "Bearer writer").exchange()
			.expectStatus().isOk();
		this.http.get().uri("/api/connection").header("Authorization", "Bearer writer").exchange().expectStatus().isOk();
	}

	@Test
	void onlyAMetricsTokenScrapes() {
		this.http.get().uri("/actuator/prometheus").header("Authorization", "Bearer scraper").exchange()
			.expectStatus().isOk();
		this.http.get().uri("/actuator/prometheus").header("Authorization", "Bearer writer").exchange()
			.expectStatus().isForbidden();
		this.http.get().uri("/api/connection").header("Authorization", "Bearer scraper").exchange()
			.expectStatus().isForbidden();
	}

	@Test
	void theStreamTakesTheTokenAsAQueryParameterAndOnlyTheStream() {
		try (SseClient stream = SseClient.open(this.port, "/stream?access_token=reader-1")) {
			assertThat(stream.status()).isEqualTo(200);
			await().atMost(WAIT).until(() -> !stream.events("connection").isEmpty());
		}
		this.http.get().uri("/api/connection?access_token=reader-1").exchange().expectStatus().isUnauthorized();
	}

	@Test
	void aWebSocketNeedsATokenAndAReadTokenCannotSendOnIt() {
		assertThatIllegalStateException().isThrownBy(() -> WebSocketClient.connect(this.port, "/ws"));
		try (WebSocketClient reader = WebSocketClient.connect(this.port, "/ws?access_token=reader-1")) {
			// subscribed once the link's state, the first notice, has arrived
			await().atMost(WAIT).until(() -> !reader.textMessages().isEmpty());
			this.upstream.latest().write("to readers\n".getBytes());
			await().atMost(WAIT).until(() -> !reader.binaryMessages().isEmpty());
			reader.sendText("not allowed");
			await().atMost(WAIT).until(() -> reader.closeCode() != null);
			assertThat(reader.closeCode()).isEqualTo(1008);
		}
		int before = this.upstream.latest().received().length;
		try (WebSocketClient writer = WebSocketClient.connect(this.port, "/ws?access_token=writer")) {
			writer.sendText("allowed");
			await().atMost(WAIT).until(() -> this.upstream.latest().received().length >= before + 8);
		}
	}

	@Test
	void onlyAllowedOriginsGetCorsAndWebSockets() {
		this.http.options().uri("/api/connection").header("Origin", "https://ops.example")
			.header("Access-Control-Request-Method", "GET").exchange()
			.expectHeader().valueEquals("Access-Control-Allow-Origin", "https://ops.example");
		this.http.get().uri("/ws?access_token=reader-1").header("Origin", "https://elsewhere.example")
			.header("Upgrade", "websocket").header("Connection", "Upgrade")
			.header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==").header("Sec-WebSocket-Version", "13")
			.exchange().expectStatus().isForbidden();
	}

}
