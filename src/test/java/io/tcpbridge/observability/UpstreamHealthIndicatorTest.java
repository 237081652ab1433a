package io.tcpbridge.observability;

import java.time.Duration;

import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.HttpStatus;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The {@code upstream} health component follows the link: readiness goes DOWN with the
 * upstream and comes back with it, while liveness stays UP throughout.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "bridge.demo.enabled=false", "bridge.upstream.reconnect.max-delay=300ms" })
@AutoConfigureRestTestClient
@DirtiesContext
class UpstreamHealthIndicatorTest {

	private static final TestUpstream upstream = TestUpstream.onFreePort();

	@Autowired
	private RestTestClient http;

	@Autowired
	private UpstreamLink link;

	@DynamicPropertySource
	static void upstreamAddress(DynamicPropertyRegistry registry) {
		registry.add("bridge.upstream.port", upstream::port);
	}

	@AfterAll
	static void closeUpstream() {
		upstream.close();
	}

	@Test
	void readinessFollowsTheUpstreamAndLivenessDoesNot() {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.upstream.status").isEqualTo("UP")
			.jsonPath("$.components.upstream.details.state").isEqualTo("CONNECTED")
			.jsonPath("$.components.upstream.details.upstream").isEqualTo("127.0.0.1:" + upstream.port())
			.jsonPath("$.components.upstream.details.connectedSince").isNotEmpty();

		upstream.stop();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().state() != LinkState.CONNECTED);

		this.http.get().uri("/actuator/health/readiness").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
			.jsonPath("$.status").isEqualTo("DOWN")
			.jsonPath("$.components.upstream.status").isEqualTo("DOWN")
			.jsonPath("$.components.upstream.details.lastError.message").isNotEmpty()
			.jsonPath("$.components.upstream.details.reconnectAttempts").exists();
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP")
			.jsonPath("$.components.upstream").doesNotExist();
		this.http.get().uri("/actuator/health").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		upstream.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.http.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
	}

}
