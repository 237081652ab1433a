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
 * The {@code upstream} health component follows the link: readiness goes DOWN with the
 * upstream and comes back with it, while liveness stays UP throughout.
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
			.jsonPath("$.components.upstream.status").isEqualTo("UP")
			.jsonPath("$.components.upstream.details.state").isEqualTo("CONNECTED")
			.jsonPath("$.components.upstream.details.upstream").isEqualTo("127.0.0.1:" + this.upstream.port())
			.jsonPath("$.components.upstream.details.connectedSince").isNotEmpty()
			.jsonPath("$.components.upstream.details.framing").isEqualTo("lf");
		this.upstream.latest().write("frame\n".getBytes());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().framesIn() > 0);
		this.http.get().uri("/actuator/health/readiness").exchange().expectBody()
			.jsonPath("$.components.upstream.details.secondsSinceLastFrame").isNumber();

		this.upstream.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().state() != LinkState.CONNECTED);

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.components.upstream.status").isEqualTo("DOWN")
			.jsonPath("$.components.upstream.details.lastError.message").isNotEmpty()
			.jsonPath("$.components.upstream.details.reconnectAttempts").exists()
			.jsonPath("$.components.upstream.details.backoffDelay").exists();
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.upstream").doesNotExist();
		this.http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		this.upstream.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

}
