package io.tcpbridge.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The hub without a network: ids, replay, and what a subscriber that does not keep up
 * costs, with sinks that record what they are given.
 */
class FrameHubTest {

	private final ExecutorService delivery = Executors.newFixedThreadPool(4);

	@AfterEach
	void stop() {
		this.delivery.shutdownNow();
	}

	@Test
	void idsGrowAndCarryTheRun() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 10);
		RecordingSink sink = new RecordingSink();
		hub.subscribe(sink, null);
		hub.publish(bytes("a"));
		hub.publish(bytes("b"));
		await().until(() -> sink.frames().size() == 2);
		assertThat(sink.frames()).extracting(Frame::id).containsExactly(hub.run() + "-1", hub.run() + "-2");
	}

	@Test
	void aStreamStartsWithTheLinkStateThenFollowsIt() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 10);
		RecordingSink sink = new RecordingSink();
		hub.subscribe(sink, null);
		hub.onLinkStateChanged(new LinkStateChangedEvent(LinkState.DISCONNECTED, Instant.now(), "gone", null));
		await().until(() -> sink.items.size() == 2);
		assertThat(sink.items).extracting((item) -> ((Notice.Connection) item).state())
			.containsExactly(LinkState.STOPPED, LinkState.DISCONNECTED);
	}

	@Test
	void aReturningSubscriberGetsTheGapThenTheFramesStillHeld() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 3);
		for (int n = 1; n <= 10; n++) {
			hub.publish(bytes("f" + n));
		}
		RecordingSink sink = new RecordingSink();
		hub.subscribe(sink, hub.run() + "-2");
		await().until(() -> sink.items.size() == 5);
		assertThat(sink.items.get(1)).isEqualTo(new Notice.Gap(5, "evicted"));
		assertThat(sink.frames()).extracting(Frame::seq).containsExactly(8L, 9L, 10L);
	}

	@Test
	void anIdNotYetGivenIsRefused() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 3);
		hub.publish(bytes("only"));
		assertThatIllegalArgumentException().isThrownBy(() -> hub.subscribe(new RecordingSink(), hub.run() + "-2"));
		assertThatIllegalArgumentException().isThrownBy(() -> hub.subscribe(new RecordingSink(), "not an id"));
	}

	@Test
	void aSubscriberThatFallsBehindLosesItsOldestFramesAndIsToldHowMany() {
		FrameHub hub = hub(4, SlowConsumerPolicy.DROP_OLDEST, 100);
		RecordingSink slow = new RecordingSink();
		slow.block();
		RecordingSink fast = new RecordingSink();
		hub.subscribe(slow, null);
		hub.subscribe(fast, null);
		await().until(slow::isBlocked);
		for (int n = 1; n <= 10; n++) {
			hub.publish(bytes("f" + n));
			// the fast one keeps up with every frame
			int sent = n;
			await().until(() -> fast.frames().size() == sent);
		}
		slow.release();
		await().until(() -> slow.frames().size() == 4);
		assertThat(slow.items).contains(new Notice.Gap(6, "slow-consumer"));
		assertThat(slow.frames()).extracting(Frame::seq).containsExactly(7L, 8L, 9L, 10L);
		assertThat(hub.slowConsumerDrops()).isEqualTo(6);
		assertThat(fast.items).noneMatch((item) -> item instanceof Notice.Gap);
	}

	@Test
	void underTheDisconnectPolicyASubscriberThatFallsBehindIsClosed() {
		FrameHub hub = hub(4, SlowConsumerPolicy.DISCONNECT, 100);
		RecordingSink slow = new RecordingSink();
		slow.block();
		hub.subscribe(slow, null);
		await().until(slow::isBlocked);
		for (int n = 1; n <= 10; n++) {
			hub.publish(bytes("f" + n));
		}
		// gone from the hub at once, closed once its delivery thread is free
		assertThat(hub.subscriberCounts().get("sse")).isZero();
		slow.release();
		await().until(() -> slow.closedBecause != null);
		assertThat(slow.closedBecause).contains("too slow");
		assertThat(hub.slowConsumerDrops()).isEqualTo(5);
	}

	@Test
	void theNextFrameIsHandedToWhoeverWaitsForIt() throws Exception {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 10);
		CompletableFuture<Frame> next = hub.nextFrame();
		hub.publish(bytes("reply"));
		assertThat(next.get(1, TimeUnit.SECONDS).payload()).isEqualTo(bytes("reply"));
	}

	private FrameHub hub(int queue, SlowConsumerPolicy policy, int history) {
		StreamProperties properties = new StreamProperties(history, DataSize.ofMegabytes(1), queue, policy,
				Duration.ofSeconds(15), 8000);
		return new FrameHub(properties, this.delivery, new ThreadPoolTaskScheduler(), new SimpleMeterRegistry());
	}

	private static byte[] bytes(String text) {
		return text.getBytes();
	}

	/** Records what it is given; can be made to hang in its next write, as a stalled client. */
	private static final class RecordingSink implements SubscriberSink {

		final List<Object> items = new CopyOnWriteArrayList<>();

		volatile String closedBecause;

		private volatile CountDownLatch gate = new CountDownLatch(0);

		private volatile boolean blocked;

		void block() {
			this.gate = new CountDownLatch(1);
		}

		void release() {
			this.gate.countDown();
		}

		boolean isBlocked() {
			return this.blocked;
		}

		List<Frame> frames() {
			return this.items.stream().filter(Frame.class::isInstance).map(Frame.class::cast).toList();
		}

		@Override
		public void write(Collection<Object> batch) {
			this.blocked = true;
			try {
				this.gate.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.blocked = false;
			this.items.addAll(batch);
		}

		@Override
		public void close(String reason) {
			this.closedBecause = reason;
		}

		@Override
		public Transport transport() {
			return Transport.SSE;
		}

	}

}
