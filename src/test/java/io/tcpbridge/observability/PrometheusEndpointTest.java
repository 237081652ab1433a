package io.tcpbridge.observability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.Promtool;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code /actuator/prometheus} scraped as Prometheus would: every bridge meter is there,
 * moves when frames flow, drops happen and the link goes down, and the exposition passes
 * {@code promtool check metrics}.
 */
@BridgeTest(properties = { "management.prometheus.metrics.export.enabled=true", "bridge.framing.max-frame-size=64B",
		"bridge.upstream.reconnect.max-delay=200ms" })
class PrometheusEndpointTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Test
	void everyBridgeMeterMovesWithWhatHappens() {
		await().atMost(WAIT).until(() -> this.link.isConnected());
		assertThat(value("bridge_connection_up")).isEqualTo(1);
		assertThat(value("bridge_connection_attempts_total{link=\"default\",outcome=\"success\"}")).isGreaterThanOrEqualTo(1);
		double received = value("bridge_frames_received_total");
		double receivedBytes = value("bridge_bytes_received_bytes_total");

		try (SseClient subscriber = SseClient.open(this.port, "/stream")) {
			await().atMost(WAIT).until(() -> value("bridge_subscribers{link=\"default\",transport=\"sse\"}") == 1);
			assertThat(value("bridge_subscribers{link=\"default\",transport=\"websocket\"}")).isZero();
			this.upstream.latest().write("one\ntwo\nthree\n".getBytes(StandardCharsets.UTF_8));
			await().atMost(WAIT).until(() -> subscriber.events("frame").size() == 3);
			// once per write: the three frames may have gone in one
			await().atMost(WAIT).until(() -> value("bridge_delivery_lag_seconds_count{link=\"default\",transport=\"sse\"}") >= 1);
		}
		assertThat(value("bridge_frames_received_total")).isEqualTo(received + 3);
		assertThat(value("bridge_bytes_received_bytes_total")).isEqualTo(receivedBytes + 11);
		assertThat(scrape()).contains("bridge_delivery_lag_seconds_bucket{link=\"default\",transport=\"sse\",le=");

		this.http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("hello").exchange().expectStatus().isOk();
		assertThat(value("bridge_frames_sent_total")).isGreaterThanOrEqualTo(1);
		assertThat(value("bridge_bytes_sent_bytes_total")).isGreaterThanOrEqualTo(5);
		assertThat(value("bridge_send_duration_seconds_count")).isGreaterThanOrEqualTo(1);
		assertThat(scrape()).contains("bridge_send_duration_seconds_bucket{link=\"default\",le=");

		double oversize = value("bridge_frames_dropped_total{link=\"default\",reason=\"oversize\"}");
		this.upstream.latest().write(("x".repeat(100) + "\n").getBytes(StandardCharsets.UTF_8));
		await().atMost(WAIT).until(() -> value("bridge_frames_dropped_total{link=\"default\",reason=\"oversize\"}") == oversize + 1);
		assertThat(scrape()).contains("bridge_frames_dropped_total{link=\"default\",reason=\"slow-consumer\"}")
			.contains("bridge_frames_dropped_total{link=\"default\",reason=\"truncated\"}");
		await().atMost(WAIT).until(() -> this.link.isConnected());

		this.upstream.stop();
		await().atMost(WAIT).until(() -> value("bridge_connection_up") == 0);
		await().atMost(WAIT).until(() -> value("bridge_connection_attempts_total{link=\"default\",outcome=\"failure\"}") >= 1);
		this.upstream.start();
		await().atMost(WAIT).until(() -> value("bridge_connection_up") == 1);
	}

	@Test
	void theExpositionPassesPromtool() throws IOException, InterruptedException {
		// the server's own meters appear once it has answered a request
		this.http.get().uri("/api/connection").exchange().expectStatus().isOk();
		await().atMost(WAIT).until(() -> scrape().contains("http_server_requests_seconds_count{"));
		String exposition = scrape();
		assertThat(exposition).contains("bridge_subscribers_closed_total{link=\"default\",reason=\"stalled\",transport=\"sse\"}");
		Promtool.assertClean(exposition);
	}

	private String scrape() {
		return this.http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
			.returnResult(String.class).getResponseBody();
	}

	/** The value of one series, named with its labels as in the exposition. */
	private double value(String series) {
		return scrape().lines()
			.filter((line) -> line.startsWith(series + " ") || (!series.contains("{") && line.startsWith(series + "{")))
			.mapToDouble((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No series " + series + " in the scrape"));
	}

}
