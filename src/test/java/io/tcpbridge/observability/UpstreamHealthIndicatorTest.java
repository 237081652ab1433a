package io.tcpbridge.observability;

import java.time.Duration;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The {@code upstream} health component, one child per link, follows the link: readiness
 * ({@code links}) goes DOWN with the upstream and comes back with it, while liveness stays
 * UP throughout.
 */
@BridgeTest(properties = { "bridge.upstream.reconnect.max-delay=300ms" })
class UpstreamHealthIndicatorTest {

	@Autowired
	private RestTestClient http;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Test
	void readinessFollowsTheUpstreamAndLivenessDoesNot() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.links.status").isEqualTo("UP")
			.jsonPath("$.components.links.details.readiness").isEqualTo("all")
			.jsonPath("$.components.links.details.links.default").isEqualTo("CONNECTED");
		this.http.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.components.upstream.status").isEqualTo("UP")
			.jsonPath("$.components.upstream.components.default.details.state").isEqualTo("CONNECTED")
			.jsonPath("$.components.upstream.components.default.details.upstream")
			.isEqualTo("127.0.0.1:" + this.upstream.port())
			.jsonPath("$.components.upstream.components.default.details.connectedSince").isNotEmpty()
			.jsonPath("$.components.upstream.components.default.details.framing").isEqualTo("lf");
		this.upstream.latest().write("frame\n".getBytes());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().framesIn() > 0);
		this.http.get().uri("/actuator/health/upstream/default").exchange().expectBody()
			.jsonPath("$.details.secondsSinceLastFrame").isNumber();

		this.upstream.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().state() != LinkState.CONNECTED);

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.components.links.status").isEqualTo("DOWN")
			.jsonPath("$.components.links.details.connected").isEqualTo("0 of 1");
		this.http.get().uri("/actuator/health/upstream/default").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.details.lastError.message").isNotEmpty()
			.jsonPath("$.details.reconnectAttempts").exists()
			.jsonPath("$.details.backoffDelay").exists();
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.upstream").doesNotExist()
			.jsonPath("$.components.links").doesNotExist();
		this.http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		this.upstream.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

}
