package io.tcpbridge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

import io.tcpbridge.support.BridgeProcess;
import io.tcpbridge.support.RedisServer;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.Ticker;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica whose Redis is not there, goes away, or will not let it in: it stays up, says
 * why, serves nothing it cannot vouch for, holds no link it cannot hold alone, and comes back
 * by itself when Redis does.
 */
class RedisOutageTest {

	private static final Duration LOCK_TTL = Duration.ofSeconds(3);

	@Test
	void aReplicaStartsWithoutRedisJoinsWhenItComesAndLetsGoOfTheLinkWhenItGoesAway() {
		RedisServer redis = RedisServer.notStarted();
		try (TestUpstream upstream = TestUpstream.onFreePort(); Ticker ticker = Ticker.on(upstream);
				BridgeProcess replica = BridgeProcess.replica("a", redis.port(), upstream.port(), LOCK_TTL)) {
			// started, alive, not ready, and saying why
			assertThat(replica.status("/actuator/health/liveness")).isEqualTo(200);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> replica.get("/actuator/health").contains("cannot reach Redis"));
			assertThat(replica.status("/actuator/health/readiness")).isEqualTo(503);
			assertThat(replica.status("/actuator/health/cluster")).isEqualTo(503);
			assertThat(replica.status("/stream")).isEqualTo(503);
			assertThat(upstream.accepted()).isZero();

			redis.start();
			await().atMost(Duration.ofSeconds(15))
				.untilAsserted(() -> assertThat(replica.status("/actuator/health/readiness"))
					.as(replica.get("/actuator/health/readiness"))
					.isEqualTo(200));
			assertThat(upstream.openConnections()).isEqualTo(1);
			SseClient watching = SseClient.open(replica.port(), "/stream");
			await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= 5);

			// Redis gone under flow: the link is let go before its lock would have run out
			redis.kill();
			long lost = System.nanoTime();
			await().atMost(LOCK_TTL).until(() -> upstream.openConnections() == 0);
			assertThat(Duration.ofNanos(System.nanoTime() - lost)).isLessThan(LOCK_TTL);
			await().atMost(Duration.ofSeconds(5))
				.until(() -> watching.events("connection").stream().anyMatch((state) -> state.data().contains("DISCONNECTED")));
			await().atMost(Duration.ofSeconds(5)).until(() -> replica.status("/actuator/health/readiness") == 503);
			assertThat(replica.status("/actuator/health/liveness")).isEqualTo(200);

			// back, empty as a Redis without persistence comes back: the link again, the stream in a new run
			int accepted = upstream.accepted();
			redis.start();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> upstream.accepted() > accepted && upstream.openConnections() == 1);
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.status("/actuator/health/readiness") == 200);
			String lastBefore = watching.events("frame").get(watching.events("frame").size() - 1).id();
			await().atMost(Duration.ofSeconds(10)).until(watching::ended);
			SseClient back = SseClient.open(replica.port(), "/stream", "Last-Event-ID", lastBefore);
			await().atMost(Duration.ofSeconds(10)).until(() -> back.events("frame").size() >= 3);
			assertThat(back.events("gap")).singleElement().extracting(SseClient.Event::data).asString()
				.contains("restarted");
			watching.close();
			back.close();
		}
		finally {
			redis.close();
		}
	}

	@Test
	void aWrongPasswordIsAHealthDetailAndOneLogLine() throws IOException {
		try (RedisServer redis = RedisServer.onFreePort("--requirepass", "the-right-one");
				TestUpstream upstream = TestUpstream.onFreePort();
				BridgeProcess replica = BridgeProcess.replica("a", redis.port(), upstream.port(), LOCK_TTL,
						"--spring.data.redis.password=a-wrong-one")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> replica.get("/actuator/health/cluster").contains("WRONGPASS"));
			assertThat(replica.status("/actuator/health/readiness")).isEqualTo(503);
			assertThat(replica.status("/actuator/health/liveness")).isEqualTo(200);
			// tried again and again, told once
			await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(replica::isAlive);
			String log = Files.readString(replica.log());
			assertThat(log.lines().filter((line) -> line.contains("WRONGPASS") && line.contains("WARN"))).hasSize(1);
			assertThat(upstream.accepted()).isZero();
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
	}

}
