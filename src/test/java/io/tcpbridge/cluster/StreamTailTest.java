package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpbridge.stream.DeliveryThreads;
import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.StreamItem;
import io.tcpbridge.stream.StreamProperties;
import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import io.tcpbridge.stream.SubscriberSink;
import io.tcpbridge.support.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A replica's reading of a link's shared stream against a real redis-server: packed entries
 * numbered by their last frame, and a replica that finds frames gone from the stream before
 * it read them going on after them, its subscribers kept and told.
 */
class StreamTailTest {

	private static final LinkKeys KEYS = LinkKeys.of("test", "plc1");

	private final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RedisServer redis;

	private LettuceConnectionFactory connections;

	private StringRedisTemplate template;

	private FrameHub hub;

	private StreamTail tail;

	@BeforeEach
	void start() {
		this.redis = RedisServer.onFreePort();
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.redis.port()));
		this.connections.afterPropertiesSet();
		this.connections.start();
		this.template = new StringRedisTemplate(this.connections);
		this.pool.initialize();
		this.scheduler.initialize();
		// a queue of 4 under disconnect: a gap counted as the subscriber's own would close it
		StreamProperties properties = new StreamProperties(100, DataSize.ofMegabytes(1), 4,
				SlowConsumerPolicy.DISCONNECT, Duration.ofSeconds(15), 8000, Duration.ofSeconds(30),
				DataSize.ofKilobytes(128));
		this.hub = new FrameHub("plc1", properties, new DeliveryThreads(this.pool), this.scheduler, this.meters);
		this.tail = new StreamTail("plc1", new LinkMeta("plc1", KEYS, this.template), this.hub, 100,
				Duration.ofMillis(200), this.connections, new ClusterFaults(), this.meters);
	}

	@AfterEach
	void stop() {
		this.tail.stop();
		this.hub.stop();
		this.pool.shutdown();
		this.scheduler.shutdown();
		this.connections.destroy();
		this.redis.close();
	}

	@Test
	void framesGoneFromTheStreamBeforeTheReplicaReadThemAreAGapItsSubscribersAreToldOf() {
		this.template.opsForHash().put(KEYS.meta(), "run", FrameHub.newRun("plc1"));
		this.template.opsForHash().put(KEYS.meta(), "seq", "3");
		append("1-0", "f1");
		append("3-0", "f2", "f3");
		this.tail.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.tail.joined() && this.hub.latestSeq() == 3);
		Recording subscriber = new Recording();
		this.hub.subscribe(subscriber, null);
		// frames 4 to 39 were trimmed before this replica read them
		append("40-0", "f40");
		append("42-0", "f41", "f42");
		await().atMost(Duration.ofSeconds(10)).until(() -> subscriber.frames().size() == 3);
		assertThat(subscriber.items).extracting(StreamTailTest::describe)
			.containsExactly("connection", "gap 36 replica-behind", "40 f40", "41 f41", "42 f42");
		assertThat(subscriber.closedBecause).isNull();
		assertThat(this.meters.get("bridge.cluster.frames.skipped").counter().count()).isEqualTo(36);
		assertThat(this.meters.get("bridge.cluster.resyncs").counter().count()).isEqualTo(1);
		assertThat(this.hub.slowConsumerDrops()).isZero();
	}

	private void append(String id, String... frames) {
		byte[] packed = PackedFrames.pack(List.of(frames).stream().map(StreamTailTest::bytes).toList());
		this.template.execute((RedisCallback<Object>) (connection) -> connection
			.execute("XADD", bytes(KEYS.frames()), bytes(id), bytes("f"), packed));
	}

	private static String describe(StreamItem item) {
		if (item instanceof Frame frame) {
			return frame.seq() + " " + new String(frame.payload(), StandardCharsets.UTF_8);
		}
		if (item instanceof Notice.Gap gap) {
			return "gap " + gap.missed() + " " + gap.reason();
		}
		return "connection";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static final class Recording implements SubscriberSink {

		final List<StreamItem> items = new CopyOnWriteArrayList<>();

		volatile String closedBecause;

		List<Frame> frames() {
			return this.items.stream().filter(Frame.class::isInstance).map(Frame.class::cast).toList();
		}

		@Override
		public void write(Collection<StreamItem> batch, Progress progress) {
			this.items.addAll(batch);
			progress.written();
		}

		@Override
		public void close(String reason) {
			this.closedBecause = reason;
		}

		@Override
		public void abort(String reason) {
			this.closedBecause = reason;
		}

		@Override
		public Transport transport() {
			return Transport.SSE;
		}

		@Override
		public String client() {
			return "test";
		}

	}

}
