package io.tcpbridge.links;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tcpbridge.framing.FramingMode;
import io.tcpbridge.support.Promtool;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.WebSocketClient;
import io.tcpbridge.support.Wire;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three links in one bridge, to three real upstreams on 127.0.0.1 with three framings:
 * each link's frames reach its own subscribers only, its sends its own upstream only; one
 * stopped leaves the others up; health and metrics per link; today's routes, which serve
 * no link when there are several and none is named default.
 */
class LinksTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestUpstream lines;

	private static TestUpstream lengths;

	private static TestUpstream crlf;

	private static RunningBridge bridge;

	private static RestTestClient http;

	@BeforeAll
	static void threeLinks() {
		lines = TestUpstream.onFreePort();
		lengths = TestUpstream.onFreePort();
		crlf = TestUpstream.onFreePort();
		bridge = RunningBridge.start("bridge.links.lines.upstream.port=" + lines.port(),
				"bridge.links.lengths.upstream.port=" + lengths.port(), "bridge.links.lengths.framing.mode=length-2",
				"bridge.links.plc-3.upstream.port=" + crlf.port(), "bridge.links.plc-3.framing.mode=crlf",
				"bridge.links.plc-3.stream.history-size=2", "bridge.stream.history-size=50",
				"bridge.links.lines.upstream.reconnect.initial-delay=50ms");
		http = bridge.http();
		for (String name : List.of("lines", "lengths", "plc-3")) {
			await().atMost(WAIT).until(() -> bridge.link(name).upstream().isConnected());
		}
		await().atMost(WAIT).until(() -> lines.openConnections() == 1 && lengths.openConnections() == 1
				&& crlf.openConnections() == 1);
	}

	@AfterAll
	static void close() {
		bridge.close();
		lines.close();
		lengths.close();
		crlf.close();
	}

	@Test
	void eachLinksFramesReachOnlyItsOwnSubscribersWithIdsOfItsOwn() {
		try (SseClient lineStream = SseClient.open(bridge.port(), "/links/lines/stream");
				SseClient lengthStream = SseClient.open(bridge.port(), "/links/lengths/stream");
				SseClient crlfStream = SseClient.open(bridge.port(), "/links/plc-3/stream")) {
			await().atMost(WAIT).until(() -> bridge.link("plc-3").hub().subscriberCounts().get("sse") == 1
					&& bridge.link("lines").hub().subscriberCounts().get("sse") == 1
					&& bridge.link("lengths").hub().subscriberCounts().get("sse") == 1);
			lines.latest().write(Wire.frame(FramingMode.LF, "from lines"));
			lengths.latest().write(Wire.frame(FramingMode.LENGTH_2, "from lengths"));
			crlf.latest().write(Wire.frame(FramingMode.CRLF, "from crlf"));

			await().atMost(WAIT).until(() -> lineStream.events("frame").size() == 1
					&& lengthStream.events("frame").size() == 1 && crlfStream.events("frame").size() == 1);
			assertThat(lineStream.events("frame").get(0).data()).isEqualTo("from lines");
			assertThat(lengthStream.events("frame").get(0).data()).isEqualTo("from lengths");
			assertThat(crlfStream.events("frame").get(0).data()).isEqualTo("from crlf");
			assertThat(lineStream.events("frame").get(0).id()).matches("lines:[0-9a-z]+-\\d+");
			assertThat(crlfStream.events("frame").get(0).id()).matches("plc-3:[0-9a-z]+-\\d+");
		}
	}

	@Test
	void aLastEventIdOfOneLinkIsRefusedByAnother() {
		String id;
		try (SseClient stream = SseClient.open(bridge.port(), "/links/lines/stream")) {
			await().atMost(WAIT).until(() -> bridge.link("lines").hub().subscriberCounts().get("sse") >= 1);
			lines.latest().write(Wire.frame(FramingMode.LF, "an id"));
			await().atMost(WAIT).until(() -> !stream.events("frame").isEmpty());
			id = stream.events("frame").get(0).id();
		}
		http.get().uri("/links/lengths/stream").header("Last-Event-ID", id).accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.title").isEqualTo("Unknown event id")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("link lines's"));
		try (SseClient back = SseClient.open(bridge.port(), "/links/lines/stream", "Last-Event-ID", id)) {
			await().atMost(WAIT).until(() -> !back.events("connection").isEmpty());
			assertThat(back.status()).isEqualTo(200);
		}
	}

	@Test
	void eachLinksSendsReachOnlyItsOwnUpstreamInItsOwnFraming() {
		int linesBefore = lines.latest().received().length;
		int crlfBefore = crlf.latest().received().length;
		http.post().uri("/links/lengths/send").contentType(MediaType.TEXT_PLAIN).body("hi").exchange()
			.expectStatus().isOk().expectBody().json("{\"bytes\": 2}");
		await().atMost(WAIT).until(() -> lengths.latest().received().length >= 4);
		assertThat(lengths.latest().received()).endsWith(0, 2, 'h', 'i');

		try (WebSocketClient socket = WebSocketClient.connect(bridge.port(), "/links/plc-3/ws?encoding=utf8")) {
			await().atMost(WAIT).until(() -> bridge.link("plc-3").hub().subscriberCounts().get("websocket") == 1);
			socket.sendText("over ws");
			await().atMost(WAIT).until(() -> new String(crlf.latest().received(), StandardCharsets.UTF_8)
				.endsWith("over ws\r\n"));
			crlf.latest().write(Wire.frame(FramingMode.CRLF, "back"));
			await().atMost(WAIT).until(() -> socket.textMessages().stream().anyMatch((m) -> m.text().equals("back")));
		}
		assertThat(lines.latest().received()).hasSize(linesBefore);
		assertThat(crlf.latest().received().length).isEqualTo(crlfBefore + "over ws\r\n".length());
	}

	@Test
	void stoppingOneLinkLeavesTheOthersUpAndHealthAndMetricsSayWhich() throws Exception {
		http.get().uri("/api/links").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.links[*].name").isEqualTo(List.of("lengths", "lines", "plc-3"))
			.jsonPath("$.links[1].framing").isEqualTo("lf")
			.jsonPath("$.links[0].framing").isEqualTo("length-2")
			.jsonPath("$.links[2].port").isEqualTo(crlf.port());
		http.post().uri("/api/links/lengths/stop").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo("lengths")
			.jsonPath("$.state").isEqualTo("STOPPED");
		try {
			http.get().uri("/api/links").exchange().expectBody()
				.jsonPath("$.links[0].state").isEqualTo("STOPPED")
				.jsonPath("$.links[1].state").isEqualTo("CONNECTED")
				.jsonPath("$.links[2].state").isEqualTo("CONNECTED");
			http.get().uri("/actuator/health/upstream/lengths").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectBody().jsonPath("$.details.state").isEqualTo("STOPPED");
			http.get().uri("/actuator/health/upstream/lines").exchange().expectStatus().isOk()
				.expectBody().jsonPath("$.details.state").isEqualTo("CONNECTED");
			// every link must be up for the bridge to be ready, by default
			http.get().uri("/actuator/health/readiness").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
				.jsonPath("$.components.links.details.connected").isEqualTo("2 of 3")
				.jsonPath("$.components.links.details.links.lengths").isEqualTo("STOPPED");
			http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
			String scrape = http.get().uri("/actuator/prometheus").exchange().returnResult(String.class).getResponseBody();
			assertThat(scrape).contains("bridge_connection_up{link=\"lengths\"} 0")
				.contains("bridge_connection_up{link=\"lines\"} 1")
				.contains("bridge_connection_up{link=\"plc-3\"} 1")
				.contains("bridge_frames_received_total{link=\"plc-3\"}")
				.contains("bridge_subscribers{link=\"lines\",transport=\"sse\"}");
			Promtool.assertClean(scrape);
			http.post().uri("/links/lengths/send").contentType(MediaType.TEXT_PLAIN).body("no").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
				.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail)
					.contains("link lengths").contains("POST /api/links/lengths/start"));
		}
		finally {
			http.post().uri("/api/links/lengths/start").exchange().expectStatus().isOk();
		}
		await().atMost(WAIT).until(() -> bridge.link("lengths").upstream().isConnected());
		http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

	@Test
	void aLinksStreamSettingsTakeWhatTheyLeaveOutFromTheBridgesOwn() {
		assertThat(bridge.link("plc-3").properties().stream().historySize()).isEqualTo(2);
		assertThat(bridge.link("lines").properties().stream().historySize()).isEqualTo(50);
		assertThat(bridge.link("lines").properties().upstream().reconnect().initialDelay()).hasMillis(50);
		assertThat(bridge.link("lengths").properties().upstream().reconnect().initialDelay()).hasMillis(100);
	}

	@Test
	void todaysRoutesServeNoLinkWhenThereAreSeveralAndNoneIsNamedDefault() {
		for (String path : List.of("/api/connection", "/stream")) {
			http.get().uri(path).exchange().expectStatus().isNotFound().expectBody()
				.jsonPath("$.title").isEqualTo("Unknown link")
				.jsonPath("$.links").isEqualTo(List.of("lengths", "lines", "plc-3"));
		}
		http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("x").exchange().expectStatus().isNotFound()
			.expectBody().jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("/links/{name}"));
		http.get().uri("/ws").header("Upgrade", "websocket").header("Connection", "Upgrade")
			.header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			.exchange().expectStatus().isNotFound().expectBody().jsonPath("$.title").isEqualTo("Unknown link");
	}

	@Test
	void anUnknownLinkIsA404ThatListsTheLinks() {
		http.get().uri("/api/links/nope").exchange().expectStatus().isNotFound().expectBody()
			.jsonPath("$.title").isEqualTo("Unknown link")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("'nope'"))
			.jsonPath("$.links").isEqualTo(List.of("lengths", "lines", "plc-3"));
		http.post().uri("/api/links/nope/stop").exchange().expectStatus().isNotFound();
		http.get().uri("/links/nope/stream").exchange().expectStatus().isNotFound()
			.expectBody().jsonPath("$.title").isEqualTo("Unknown link");
		http.post().uri("/links/nope/send").contentType(MediaType.TEXT_PLAIN).body("x").exchange()
			.expectStatus().isNotFound();
		http.get().uri("/links/nope/ws").header("Upgrade", "websocket").header("Connection", "Upgrade")
			.header("Sec-WebSocket-Version", "13").header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
			.exchange().expectStatus().isNotFound().expectBody().jsonPath("$.links.length()").isEqualTo(3);
		assertThat(bridge.links().names()).containsExactly("lengths", "lines", "plc-3");
		assertThat(bridge.link("lines").upstream().status().state()).isEqualTo(LinkState.CONNECTED);
	}

}
