package io.tcpbridge.observability;

import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;

import static org.awaitility.Awaitility.await;

/**
 * {@code bridge.health.readiness=any}: a bridge whose links are alternatives stays ready
 * while one of them is connected, and is not once none is; each link's health is its own
 * either way.
 */
class LinksReadinessTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@Test
	void withAnyTheBridgeIsReadyWhileOneLinkIsConnected() {
		try (TestUpstream primary = TestUpstream.onFreePort();
				TestUpstream spare = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.start("bridge.links.primary.upstream.port=" + primary.port(),
						"bridge.links.spare.upstream.port=" + spare.port(), "bridge.health.readiness=any")) {
			await().atMost(WAIT).until(() -> bridge.link("primary").upstream().isConnected()
					&& bridge.link("spare").upstream().isConnected());
			bridge.link("primary").upstream().stop();

			bridge.http().get().uri("/actuator/health/readiness").exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.components.links.details.readiness").isEqualTo("any")
				.jsonPath("$.components.links.details.connected").isEqualTo("1 of 2")
				.jsonPath("$.components.links.details.links.primary").isEqualTo("STOPPED");
			bridge.http().get().uri("/actuator/health/upstream/primary").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

			spare.stop();
			await().atMost(WAIT).until(() -> !bridge.link("spare").upstream().isConnected());
			bridge.http().get().uri("/actuator/health/readiness").exchange()
				.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE).expectBody()
				.jsonPath("$.components.links.details.connected").isEqualTo("0 of 2");
		}
	}

}
