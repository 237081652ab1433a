package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tcpbridge.support.BridgeProcess;
import io.tcpbridge.support.Promtool;
import io.tcpbridge.support.RedisServer;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.Ticker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three replicas, each a process of its own, on a real redis-server, before one upstream that
 * sends a numbered line every 20 ms to whoever is connected: one replica holds the link, both
 * serve the same frames with the same ids, and the link survives its holder's death.
 * The scenarios run in order on the same replicas, as a cluster's life goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasTest {

	private static final Duration LOCK_TTL = Duration.ofSeconds(3);

	private final List<BridgeProcess> replicas = new CopyOnWriteArrayList<>();

	private final List<SseClient> streams = new ArrayList<>();

	private RedisServer redis;

	private TestUpstream upstream;

	private Ticker ticker;

	@BeforeAll
	void startCluster() {
		this.redis = RedisServer.onFreePort();
		this.upstream = TestUpstream.onFreePort();
		this.upstream.respondToLines((line) -> "echo: " + line);
		this.ticker = Ticker.on(this.upstream);
		// all at once: the machine starts them in less than the time of three
		List<Thread> starting = List.of(new Thread(() -> startReplica("a")), new Thread(() -> startReplica("b")),
				new Thread(() -> startReplica("c")));
		starting.forEach(Thread::start);
		starting.forEach(ReplicasTest::join);
		assertThat(this.replicas).hasSize(3);
	}

	@AfterAll
	void stopCluster() {
		this.streams.forEach(SseClient::close);
		this.replicas.forEach(BridgeProcess::close);
		this.ticker.close();
		this.upstream.close();
		this.redis.close();
	}

	private BridgeProcess startReplica(String name) {
		BridgeProcess replica = BridgeProcess.replica(name, this.redis.port(), this.upstream.port(), LOCK_TTL);
		// serving once it has read the link's stream
		await().atMost(Duration.ofSeconds(30)).until(() -> replica.status("/actuator/health/cluster") == 200);
		this.replicas.add(replica);
		return replica;
	}

	@Test
	@Order(1)
	void oneReplicaHoldsTheLinkAndEveryOneServesTheSameIds() {
		await().atMost(Duration.ofSeconds(30)).until(() -> this.upstream.openConnections() == 1);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
			.until(() -> this.upstream.accepted() == 1 && this.upstream.openConnections() == 1);
		leader();

		SseClient onA = stream(this.replicas.get(0));
		SseClient onB = stream(this.replicas.get(1));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> onA.events("frame").size() >= 20 && onB.events("frame").size() >= 20);
		Map<String, String> idsOnA = idsByData(onA);
		Map<String, String> idsOnB = idsByData(onB);
		List<String> both = idsOnA.keySet().stream().filter(idsOnB::containsKey).toList();
		assertThat(both).hasSizeGreaterThanOrEqualTo(10);
		both.forEach((data) -> assertThat(idsOnB.get(data)).as(data).isEqualTo(idsOnA.get(data)));
		assertThat(onA.events("connection").get(0).data()).contains("CONNECTED");
		assertThat(onB.events("connection").get(0).data()).contains("CONNECTED");
	}

	@Test
	@Order(2)
	void aSubscriberComesBackOnTheOtherReplicaWhereItLeftOff() {
		SseClient onA = stream(this.replicas.get(0));
		await().atMost(Duration.ofSeconds(10)).until(() -> onA.events("frame").size() >= 5);
		SseClient.Event third = onA.events("frame").get(2);
		SseClient.Event fourth = onA.events("frame").get(3);
		SseClient onB = stream(this.replicas.get(1), "Last-Event-ID", third.id());
		await().atMost(Duration.ofSeconds(10)).until(() -> !onB.events("frame").isEmpty());
		assertThat(onB.events("frame").get(0)).isEqualTo(fourth);
		assertThat(onB.events("gap")).isEmpty();
	}

	@Test
	@Order(3)
	void aFollowerIsReadyTellsWhoHoldsTheLinkAndHandsItsSendsToTheHolder() {
		BridgeProcess leader = leader();
		BridgeProcess follower = other(leader);
		await().atMost(Duration.ofSeconds(10)).until(() -> follower.status("/actuator/health/readiness") == 200);
		assertThat(follower.get("/api/links/default")).contains("\"state\":\"CONNECTED\"")
			.contains("\"heldBy\":\"" + leader.name() + "\"");

		int before = this.upstream.latest().received().length;
		HttpResponse<String> sent = follower.post("/send", "application/octet-stream", "from the follower");
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(200);
		byte[] received = this.upstream.latest().received();
		assertThat(new String(received, before, received.length - before, StandardCharsets.UTF_8))
			.isEqualTo("from the follower\n");

		HttpResponse<String> reply = follower.post("/send?await=reply&until=%5Eecho", "text/plain", "ping");
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(200);
		assertThat(reply.body()).contains("echo: ping");
	}

	@Test
	@Order(4)
	void aStopOnAFollowerStopsTheLinkOnItsHolderAndAStartOpensItAgain() {
		BridgeProcess follower = other(leader());
		int accepted = this.upstream.accepted();
		assertThat(follower.post("/api/links/default/stop", "application/json", "").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.upstream.openConnections() == 0);
		await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
			.until(() -> this.upstream.accepted() == accepted);
		assertThat(follower.get("/api/links/default")).contains("\"state\":\"STOPPED\"");

		assertThat(follower.post("/api/links/default/start", "application/json", "").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.upstream.openConnections() == 1);
		await().atMost(Duration.ofSeconds(5)).until(() -> follower.get("/api/links/default").contains("CONNECTED"));
	}

	@Test
	@Order(5)
	void whenTheHolderDiesAnotherTakesTheLinkOverAndTheIdsGoOn() throws Exception {
		BridgeProcess leader = leader();
		BridgeProcess survivor = other(leader);
		SseClient watching = stream(survivor);
		await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= 5);
		int acceptedBefore = this.upstream.accepted();

		long killed = System.nanoTime();
		leader.kill();
		await().atMost(LOCK_TTL.plusSeconds(2)).until(() -> this.upstream.accepted() > acceptedBefore);
		long takeover = System.nanoTime() - killed;
		assertThat(Duration.ofNanos(takeover)).isLessThanOrEqualTo(LOCK_TTL.plusSeconds(2));
		this.replicas.remove(leader);
		BridgeProcess taker = leader();
		assertThat(taker.get("/actuator/prometheus")).contains("bridge_cluster_failovers_total{link=\"default\"} 1")
			.contains("bridge_cluster_append_seconds_bucket{link=\"default\"")
			.contains("bridge_cluster_redis_errors_total");
		Promtool.assertClean(taker.get("/actuator/prometheus"));

		int framesBefore = watching.events("frame").size();
		await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= framesBefore + 10);
		assertIdsGrowByOne(watching.events("frame"));
		List<String> states = watching.events("connection").stream().map(SseClient.Event::data).toList();
		assertThat(states).anySatisfy((state) -> assertThat(state).contains("DISCONNECTED").contains("was lost"));
		assertThat(states.get(states.size() - 1)).contains("CONNECTED");
		assertThat(this.upstream.openConnections()).isEqualTo(1);
	}

	@Test
	@Order(6)
	void aHolderThatShutsDownHandsTheLinkOverAtOnce() {
		BridgeProcess leader = leader();
		BridgeProcess next = other(leader);
		SseClient watching = stream(next);
		await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= 5);
		TestUpstream.Connection held = this.upstream.latest();
		int accepted = this.upstream.accepted();

		Thread stopping = new Thread(leader::stop);
		stopping.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> !held.isOpen());
		long closed = System.nanoTime();
		await().atMost(Duration.ofSeconds(3)).until(() -> this.upstream.accepted() > accepted);
		assertThat(Duration.ofNanos(System.nanoTime() - closed)).isLessThanOrEqualTo(Duration.ofSeconds(2));
		join(stopping);
		this.replicas.remove(leader);
		assertThat(next.leads("default")).isTrue();

		int framesBefore = watching.events("frame").size();
		await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= framesBefore + 10);
		assertIdsGrowByOne(watching.events("frame"));
		assertThat(watching.events("connection")).extracting(SseClient.Event::data)
			.anySatisfy((state) -> assertThat(state).contains("hands the link over"));
	}

	@Test
	@Order(7)
	void afterEveryReplicaRestartsASubscriberComesBackWhereItLeftOffFromRedis() {
		SseClient watching = stream(this.replicas.get(0));
		await().atMost(Duration.ofSeconds(10)).until(() -> watching.events("frame").size() >= 5);
		List<SseClient.Event> seen = watching.events("frame");
		SseClient.Event last = seen.get(seen.size() - 1);
		watching.close();
		new ArrayList<>(this.replicas).forEach((replica) -> {
			replica.stop();
			this.replicas.remove(replica);
		});

		BridgeProcess restarted = startReplica("d");
		SseClient back = stream(restarted, "Last-Event-ID", last.id());
		await().atMost(Duration.ofSeconds(30)).until(() -> back.events("frame").size() >= 5);
		assertThat(back.events("gap")).isEmpty();
		assertThat(seq(back.events("frame").get(0).id())).isEqualTo(seq(last.id()) + 1);
		assertIdsGrowByOne(back.events("frame"));
	}

	private BridgeProcess leader() {
		await().atMost(LOCK_TTL.plusSeconds(5))
			.until(() -> this.replicas.stream().filter((replica) -> replica.leads("default")).count() == 1);
		return this.replicas.stream().filter((replica) -> replica.leads("default")).findFirst().orElseThrow();
	}

	private BridgeProcess other(BridgeProcess replica) {
		return this.replicas.stream().filter((each) -> each != replica).findFirst().orElseThrow();
	}

	private SseClient stream(BridgeProcess replica, String... headers) {
		SseClient client = SseClient.open(replica.port(), "/stream", headers);
		assertThat(client.status()).isEqualTo(200);
		this.streams.add(client);
		return client;
	}

	private static Map<String, String> idsByData(SseClient client) {
		Map<String, String> ids = new LinkedHashMap<>();
		client.events("frame").forEach((event) -> ids.put(event.data(), event.id()));
		return ids;
	}

	/** Every frame's id is one more than the one before it, in the same run: none reused, none skipped. */
	private static void assertIdsGrowByOne(List<SseClient.Event> frames) {
		for (int i = 1; i < frames.size(); i++) {
			String before = frames.get(i - 1).id();
			String id = frames.get(i).id();
			assertThat(run(id)).isEqualTo(run(before));
			assertThat(seq(id)).as(before + " then " + id).isEqualTo(seq(before) + 1);
		}
	}

	private static String run(String id) {
		return id.substring(0, id.lastIndexOf('-'));
	}

	private static long seq(String id) {
		return Long.parseLong(id.substring(id.lastIndexOf('-') + 1));
	}

	private static void join(Thread thread) {
		try {
			thread.join();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
