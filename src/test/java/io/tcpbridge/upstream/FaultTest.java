package io.tcpbridge.upstream;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The upstream misbehaves in the ways real ones do; the bridge stays up, loses nothing the
 * upstream finished writing, says what happened, and recovers.
 */
class FaultTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final int RESTARTS = 30;

	private static final int FRAMES_PER_LIFE = 200;

	@Test
	void thirtyUpstreamRestartsLoseNoFinishedFrameAndLeakNothing() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.upstream.reconnect.initial-delay=20ms",
						"bridge.upstream.reconnect.max-delay=100ms");
				SseClient subscriber = SseClient.open(bridge.port(), "/stream")) {
			await().atMost(WAIT).until(() -> !subscriber.events("connection").isEmpty());
			int sent = 0;
			long threadsAfterWarmUp = 0;
			long heapAfterWarmUp = 0;
			for (int life = 0; life <= RESTARTS; life++) {
				int life_ = life;
				await().atMost(WAIT).until(() -> upstream.accepted() == life_ + 1 && bridge.link().isConnected());
				List<String> frames = IntStream.range(sent, sent + FRAMES_PER_LIFE).mapToObj((n) -> "frame " + n).toList();
				upstream.latest().write((String.join("\n", frames) + "\n").getBytes(StandardCharsets.UTF_8));
				sent += FRAMES_PER_LIFE;
				if (life == RESTARTS) {
					break;
				}
				// closes right after the write returned: every one of those frames must still arrive
				upstream.stop();
				upstream.start();
				if (life == 10) {
					threadsAfterWarmUp = threads();
					heapAfterWarmUp = usedHeapAfterGc();
				}
			}
			int total = sent;
			await().atMost(WAIT).until(() -> subscriber.events("frame").size() >= total);

			assertThat(subscriber.events("frame")).extracting(SseClient.Event::data)
				.containsExactlyElementsOf(IntStream.range(0, total).mapToObj((n) -> "frame " + n).toList());
			assertThat(subscriber.events("gap")).isEmpty();
			List<String> connected = new ArrayList<>();
			subscriber.events("connection").forEach((e) -> {
				if (e.data().contains("\"state\":\"CONNECTED\"")) {
					connected.add(e.data());
				}
			});
			assertThat(connected).hasSize(RESTARTS + 1);
			assertThat(bridge.link().traffic().attemptsSucceeded()).isEqualTo(RESTARTS + 1);
			assertThat(threads()).as("threads").isLessThanOrEqualTo(threadsAfterWarmUp + 5);
			assertThat(usedHeapAfterGc()).as("used heap").isLessThan(heapAfterWarmUp + 32 * 1024 * 1024);
		}
	}

	@Test
	void anUpstreamThatResetsEveryConnectionIsRetriedAndReported() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.upstream.reconnect.initial-delay=20ms",
						"bridge.upstream.reconnect.max-delay=100ms")) {
			upstream.resetEachConnectionOnAccept(true);
			upstream.dropConnections();
			await().atMost(WAIT).until(() -> upstream.accepted() >= 6);
			assertThat(bridge.link().status().lastError().message()).containsIgnoringCase("reset");
			bridge.http().get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();

			upstream.resetEachConnectionOnAccept(false);
			await().atMost(WAIT).until(() -> bridge.link().isConnected() && upstream.latest().isOpen());
			upstream.latest().write("back\n".getBytes(StandardCharsets.UTF_8));
			await().atMost(WAIT).until(() -> !bridge.received().isEmpty());
		}
	}

	@Test
	void aFrameWrittenOneByteAtATimeArrivesWhole() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.mode=length-2")) {
			byte[] frame = { 0, 11, 'o', 'n', 'e', ' ', 'a', 't', ' ', 'a', ' ', 't', 'i' };
			for (byte b : frame) {
				upstream.latest().write(new byte[] { b });
			}
			await().atMost(WAIT).until(() -> bridge.received().size() == 1);
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("one at a ti");
		}
	}

	private static long threads() {
		return ManagementFactory.getThreadMXBean().getThreadCount();
	}

	private static long usedHeapAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
