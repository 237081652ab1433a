package io.tcpbridge.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The link against a real upstream on 127.0.0.1 that goes away, comes back, and refuses to
 * stay connected; and the operator's controls.
 */
@BridgeTest(properties = { "bridge.upstream.reconnect.initial-delay=50ms",
				"bridge.upstream.reconnect.max-delay=400ms", "bridge.upstream.reconnect.jitter=0",
				"bridge.upstream.reconnect.multiplier=2", "bridge.upstream.reconnect.reset-after=300ms" })
class UpstreamLinkTest {

	private static final Duration MAX_DELAY = Duration.ofMillis(400);

	@Autowired
	private UpstreamLink link;

	@Autowired
	private RestTestClient http;

	@Autowired
	private TestUpstream upstream;

	/** Every test starts from a fresh link, connected, with a fresh backoff. */
	@BeforeEach
	void connectedWithAFreshBackoff() {
		this.upstream.closeEachConnectionOnAccept(false);
		this.link.stop();
		this.link.start();
		awaitState(LinkState.CONNECTED);
	}

	@Test
	void reconnectsWhenTheUpstreamComesBackOnTheSamePort() {
		this.upstream.stop();
		awaitState(LinkState.DISCONNECTED);
		assertThat(this.link.status().lastError()).isNotNull();

		int acceptedBefore = this.upstream.accepted();
		this.upstream.start();
		// without restarting the bridge, and within the capped backoff delay
		await().atMost(MAX_DELAY.plusSeconds(2)).until(() -> this.link.status().connected());
		assertThat(this.upstream.accepted()).isGreaterThan(acceptedBefore);
		assertThat(this.link.status().reconnectAttempts()).isZero();
	}

	@Test
	void backoffGrowsAndIsCapped() {
		this.upstream.closeEachConnectionOnAccept(true);
		int first = this.upstream.accepted();
		this.upstream.dropConnections();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.upstream.accepted() >= first + 7);
		this.upstream.closeEachConnectionOnAccept(false);

		List<Long> times = this.upstream.acceptTimes().subList(first, first + 7);
		List<Long> gaps = new ArrayList<>();
		for (int i = 1; i < times.size(); i++) {
			gaps.add((times.get(i) - times.get(i - 1)) / 1_000_000);
		}
		// 50 ms before the first attempt, then 100, 200, 400, and no more than 400
		long[] expected = { 100, 200, 400, 400, 400, 400 };
		for (int i = 0; i < gaps.size(); i++) {
			assertThat(gaps.get(i)).as("gap %d of %s ms", i, gaps).isGreaterThanOrEqualTo(expected[i] * 9 / 10);
		}
		assertThat(gaps.subList(2, gaps.size())).as("capped gaps %s ms", gaps)
			.allSatisfy((gap) -> assertThat(gap).isLessThan(MAX_DELAY.toMillis() + 300));
		awaitState(LinkState.CONNECTED);
	}

	@Test
	void theBackoffStartsAgainOnceAConnectionHasStayedUp() {
		this.upstream.closeEachConnectionOnAccept(true);
		int first = this.upstream.accepted();
		this.upstream.dropConnections();
		// grown to the cap: 50, 100, 200, 400 ms
		await().atMost(Duration.ofSeconds(5)).until(() -> this.upstream.accepted() >= first + 4);
		this.upstream.closeEachConnectionOnAccept(false);
		awaitState(LinkState.CONNECTED);
		TestUpstream.Connection connection = this.upstream.latest();
		// stays up for longer than reset-after (300 ms)
		await().pollDelay(Duration.ofMillis(400)).atMost(Duration.ofSeconds(1)).until(connection::isOpen);

		int before = this.upstream.accepted();
		long lostAt = System.nanoTime();
		connection.close();
		await().atMost(Duration.ofSeconds(2)).until(() -> this.upstream.accepted() > before);
		long waitedMillis = (this.upstream.acceptTimes().get(before) - lostAt) / 1_000_000;
		// back to the initial 50 ms, not the 400 ms the failures had grown to
		assertThat(waitedMillis).isLessThan(MAX_DELAY.toMillis() - 100);
		assertThat(this.link.status().lastError().message()).isEqualTo("The upstream closed the connection");
	}

	@Test
	void stopClosesTheLinkCleanlyAndKeepsItClosed() {
		TestUpstream.Connection connection = this.upstream.latest();
		int acceptedBefore = this.upstream.accepted();

		this.http.post().uri("/api/connection/stop").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.state").isEqualTo("STOPPED");

		await().atMost(Duration.ofSeconds(5)).until(connection::closedByPeer);
		assertThat(connection.resetByPeer()).isFalse();
		await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2))
			.until(() -> this.upstream.accepted() == acceptedBefore && this.link.status().state() == LinkState.STOPPED);
		this.http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("hello").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);

		this.http.post().uri("/api/connection/start").exchange().expectStatus().isOk();
		awaitState(LinkState.CONNECTED);
		assertThat(this.upstream.accepted()).isEqualTo(acceptedBefore + 1);
	}

	@Test
	void reconnectReplacesTheConnectionAtOnce() {
		TestUpstream.Connection old = this.upstream.latest();
		int acceptedBefore = this.upstream.accepted();
		LinkStatus.LinkError errorBefore = this.link.status().lastError();

		this.http.post().uri("/api/connection/reconnect").exchange().expectStatus().isOk();

		await().atMost(Duration.ofSeconds(2)).until(() -> this.upstream.accepted() == acceptedBefore + 1);
		assertThat(old.closedByPeer()).isTrue();
		awaitState(LinkState.CONNECTED);
		// closing it on purpose is no fault of the link
		assertThat(this.link.status().lastError()).isEqualTo(errorBefore);
	}

	@Test
	void reconnectOfAStoppedLinkIsRefused() {
		this.link.stop();
		this.http.post().uri("/api/connection/reconnect").exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Link stopped");
	}

	@Test
	void statusShowsTheLinkAndItsTraffic() {
		LinkStatus before = this.link.status();
		this.http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("abc").exchange().expectStatus().isOk();
		this.upstream.latest().write("hello\n".getBytes());
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().framesIn() == before.framesIn() + 1);

		this.http.get().uri("/api/connection").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.state").isEqualTo("CONNECTED")
			.jsonPath("$.host").isEqualTo("127.0.0.1")
			.jsonPath("$.port").isEqualTo(this.upstream.port())
			.jsonPath("$.framing").isEqualTo("lf")
			.jsonPath("$.maxFrameSize").isEqualTo(65536)
			.jsonPath("$.connectedSince").isNotEmpty()
			.jsonPath("$.reconnectAttempts").isEqualTo(0)
			.jsonPath("$.framesIn").isEqualTo(before.framesIn() + 1)
			.jsonPath("$.bytesIn").isEqualTo(before.bytesIn() + 5)
			.jsonPath("$.framesOut").isEqualTo(before.framesOut() + 1)
			.jsonPath("$.bytesOut").isEqualTo(before.bytesOut() + 3)
			.jsonPath("$.lastFrameIn").isNotEmpty()
			.jsonPath("$.lastFrameOut").isNotEmpty();
	}

	private void awaitState(LinkState state) {
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().state() == state);
	}

}
