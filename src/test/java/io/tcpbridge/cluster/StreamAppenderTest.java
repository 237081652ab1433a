package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpbridge.support.RedisServer;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leader's appends against a real redis-server: numbered on from the link's place, with
 * states between them, and only for the holder of the link's lock.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamAppenderTest {

	private static final LinkKeys KEYS = LinkKeys.of("test", "plc1");

	private RedisServer redis;

	private LettuceConnectionFactory connections;

	private StringRedisTemplate template;

	private SimpleMeterRegistry meters;

	private StreamAppender appender;

	@BeforeAll
	void startRedis() {
		this.redis = RedisServer.onFreePort();
		this.connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", this.redis.port()));
		this.connections.afterPropertiesSet();
		this.template = new StringRedisTemplate(this.connections);
	}

	@AfterAll
	void stopRedis() {
		this.connections.destroy();
		this.redis.close();
	}

	@BeforeEach
	void freshLink() {
		this.template.delete(List.of(KEYS.lock(), KEYS.meta(), KEYS.frames()));
		this.template.opsForHash().put(KEYS.meta(), "run", "plc1:r1");
		this.meters = new SimpleMeterRegistry();
		this.appender = new StreamAppender("plc1", KEYS, 1000, this.template, new ClusterFaults(), this.meters);
		this.appender.start();
	}

	@AfterEach
	void stopAppending() {
		this.appender.stop();
	}

	@Test
	void framesAreNumberedOnAndStatesGoBetweenThem() {
		this.template.opsForValue().set(KEYS.lock(), "me");
		this.template.opsForHash().put(KEYS.meta(), "seq", "41");
		this.appender.lead("me", "plc1:r1");
		this.appender.frame(bytes("a"));
		this.appender.state(new StateEntry(LinkState.DISCONNECTED, Instant.ofEpochMilli(1000), "n1", "http://n1:8080",
				"the upstream closed the connection"));
		this.appender.frame(bytes("b"));
		await().atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 3);
		List<ByteRecord> entries = entries();
		assertThat(entries).extracting((entry) -> entry.getId().getValue()).containsExactly("42-0", "42-1", "43-0");
		assertThat(frames(entries.get(0))).containsExactly("a");
		assertThat(frames(entries.get(2))).containsExactly("b");
		StateEntry state = StateEntry.decode(value(entries.get(1)));
		assertThat(state.node()).isEqualTo("n1");
		assertThat(state.reason()).isEqualTo("the upstream closed the connection");
		assertThat(this.template.opsForHash().get(KEYS.meta(), "seq")).isEqualTo("43");
		assertThat(StateEntry.decode(bytes((String) this.template.opsForHash().get(KEYS.meta(), "state"))))
			.isEqualTo(state);
	}

	@Test
	void framesThatWaitedTogetherAreOneEntryNamedByTheLastOfThem() {
		this.appender.stop();
		this.appender = new StreamAppender("plc1", KEYS, 1000, this.template, new ClusterFaults(), this.meters);
		this.template.opsForValue().set(KEYS.lock(), "me");
		this.appender.lead("me", "plc1:r1");
		for (String frame : List.of("a", "b", "c")) {
			this.appender.frame(bytes(frame));
		}
		this.appender.state(new StateEntry(LinkState.CONNECTED, Instant.ofEpochMilli(1000), "n1", "http://n1:8080", null));
		this.appender.frame(bytes("d"));
		this.appender.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> entries().size() == 3);
		List<ByteRecord> entries = entries();
		assertThat(entries).extracting((entry) -> entry.getId().getValue()).containsExactly("3-0", "3-1", "4-0");
		assertThat(frames(entries.get(0))).containsExactly("a", "b", "c");
		assertThat(frames(entries.get(2))).containsExactly("d");
	}

	@Test
	void entriesWhoseFramesAreAllOlderThanTheStreamsLengthAreTrimmed() {
		this.template.opsForValue().set(KEYS.lock(), "me");
		this.appender.lead("me", "plc1:r1");
		// an entry per frame, flushed one by one; a node of the stream holds 100 entries, and goes as a whole
		for (int i = 1; i <= 2500; i++) {
			this.appender.frame(bytes("frame " + i));
			assertThat(this.appender.flush(Duration.ofSeconds(5))).isTrue();
		}
		List<ByteRecord> entries = entries();
		long oldest = Long.parseLong(entries.get(0).getId().getValue().split("-")[0]);
		assertThat(oldest).isGreaterThan(1400).isLessThanOrEqualTo(1500);
		assertThat(frames(entries.get(entries.size() - 1))).containsExactly("frame 2500");
	}

	@Test
	void aReplicaThatLostTheLockAppendsNothingAndCountsWhatItLost() {
		this.template.opsForValue().set(KEYS.lock(), "another");
		this.appender.lead("me", "plc1:r1");
		this.appender.frame(bytes("a"));
		this.appender.frame(bytes("b"));
		await().atMost(Duration.ofSeconds(5)).until(() -> lost() == 2);
		assertThat(entries()).isEmpty();
		assertThat(this.template.opsForHash().get(KEYS.meta(), "seq")).isNull();
	}

	@Test
	void aStreamThatBeganAnewIsNotAppendedToInTheOldRun() {
		this.template.opsForValue().set(KEYS.lock(), "me");
		this.template.opsForHash().put(KEYS.meta(), "run", "plc1:r2");
		this.appender.lead("me", "plc1:r1");
		this.appender.frame(bytes("a"));
		await().atMost(Duration.ofSeconds(5)).until(() -> lost() == 1);
		assertThat(entries()).isEmpty();
	}

	private List<ByteRecord> entries() {
		return this.template.execute((RedisCallback<List<ByteRecord>>) (connection) -> connection.streamCommands()
			.xRange(bytes(KEYS.frames()), Range.unbounded()));
	}

	/** An entry's one field: frames packed, or a state. */
	private static byte[] value(ByteRecord entry) {
		return entry.getValue().values().iterator().next();
	}

	private static List<String> frames(ByteRecord entry) {
		return PackedFrames.unpack(value(entry))
			.stream()
			.map((frame) -> new String(frame, StandardCharsets.UTF_8))
			.toList();
	}

	private double lost() {
		return this.meters.get("bridge.cluster.frames.lost").tag("link", "plc1").counter().count();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
