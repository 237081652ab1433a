package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.List;

import io.tcpbridge.support.BridgeProcess;
import io.tcpbridge.support.RedisServer;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Links spread over the replicas, each a process of its own on a real redis-server: a
 * replica alone holds both links, hands one over to a second replica when it comes, and
 * takes it back when that one dies.
 */
class LinkSpreadTest {

	private static final Duration LOCK_TTL = Duration.ofSeconds(3);

	private final RedisServer redis = RedisServer.onFreePort();

	private final TestUpstream first = TestUpstream.onFreePort();

	private final TestUpstream second = TestUpstream.onFreePort();

	private BridgeProcess a;

	private BridgeProcess b;

	private SseClient stream;

	@AfterEach
	void stop() {
		if (this.stream != null) {
			this.stream.close();
		}
		for (BridgeProcess replica : new BridgeProcess[] { this.a, this.b }) {
			if (replica != null) {
				replica.close();
			}
		}
		this.first.close();
		this.second.close();
		this.redis.close();
	}

	@Test
	void eachReplicaHoldsItsShareOfTheLinksAndTheLastOneLeftHoldsThemAll() {
		this.a = replica("a");
		await().atMost(Duration.ofSeconds(30)).until(() -> this.a.leads("plc1") && this.a.leads("plc2"));
		this.stream = SseClient.open(this.a.port(), "/links/plc1/stream");
		SseClient onTwo = SseClient.open(this.a.port(), "/links/plc2/stream");
		try {
			this.b = replica("b");
			// one of the two goes over to b, handed over by a, and stays there
			await().atMost(Duration.ofSeconds(30))
				.until(() -> held(this.a) == 1 && held(this.b) == 1 && this.first.openConnections() == 1
						&& this.second.openConnections() == 1);
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
				.until(() -> held(this.a) == 1 && held(this.b) == 1);
			assertThat(this.first.accepted() + this.second.accepted()).isEqualTo(3);
			SseClient moved = this.a.leads("plc1") ? onTwo : this.stream;
			await().atMost(Duration.ofSeconds(10))
				.until(() -> moved.events("connection")
					.stream()
					.anyMatch((event) -> event.data().contains("holds more than its share")));

			long killed = System.nanoTime();
			this.b.kill();
			await().atMost(LOCK_TTL.plusSeconds(4)).until(() -> held(this.a) == 2);
			assertThat(Duration.ofNanos(System.nanoTime() - killed)).isLessThan(LOCK_TTL.plusSeconds(4));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> this.first.openConnections() == 1 && this.second.openConnections() == 1);
		}
		finally {
			onTwo.close();
		}
	}

	private BridgeProcess replica(String name) {
		BridgeProcess replica = BridgeProcess.start(name, "--bridge.cluster.mode=redis",
				"--spring.data.redis.port=" + this.redis.port(), "--bridge.cluster.lock-ttl=" + LOCK_TTL.toMillis() + "ms",
				"--bridge.links.plc1.upstream.port=" + this.first.port(),
				"--bridge.links.plc2.upstream.port=" + this.second.port());
		await().atMost(Duration.ofSeconds(30)).until(() -> replica.status("/actuator/health/cluster") == 200);
		return replica;
	}

	private static long held(BridgeProcess replica) {
		return List.of("plc1", "plc2").stream().filter(replica::leads).count();
	}

}
