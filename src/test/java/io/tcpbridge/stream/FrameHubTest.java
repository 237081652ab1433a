package io.tcpbridge.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * The hub without a network: ids, replay, and what a subscriber that does not keep up
 * costs, with sinks that record what they are given and can hold a write, as a client's
 * full socket does.
 */
class FrameHubTest {

	private final ThreadPoolTaskExecutor pool = new ThreadPoolTaskExecutor();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	/** The link of the hubs the next test makes. */
	private String link = "default";

	private final List<FrameHub> hubs = new CopyOnWriteArrayList<>();

	@AfterEach
	void stop() {
		this.hubs.forEach(FrameHub::stop);
		this.pool.shutdown();
		this.scheduler.shutdown();
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
		hub.linkStateChanged(new LinkStateChangedEvent("default", LinkState.DISCONNECTED, Instant.now(), "gone", null));
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
	void aReplayLongerThanTheQueueIsNotLost() {
		FrameHub hub = hub(4, SlowConsumerPolicy.DISCONNECT, 20);
		for (int n = 1; n <= 12; n++) {
			hub.publish(bytes("f" + n));
		}
		RecordingSink sink = new RecordingSink();
		sink.hold();
		hub.subscribe(sink, hub.run() + "-2");
		await().until(sink::isHolding);
		// live frames within the queue's bound while the replay waits
		for (int n = 13; n <= 16; n++) {
			hub.publish(bytes("f" + n));
		}
		sink.release();
		await().until(() -> sink.frames().size() == 14);
		assertThat(sink.frames()).extracting(Frame::seq)
			.containsExactlyElementsOf(LongStream.rangeClosed(3, 16).boxed().toList());
		assertThat(hub.slowConsumerDrops()).isZero();
		assertThat(sink.abortedBecause).isNull();
	}

	@Test
	void noticesComeInOrderWithTheFramesAroundThem() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 10);
		RecordingSink sink = held(hub);
		hub.publish(bytes("f1"));
		hub.publish(bytes("f2"));
		hub.linkStateChanged(disconnected());
		hub.publish(bytes("f3"));
		sink.release();
		await().until(() -> sink.items.size() == 5);
		assertThat(sink.items).extracting(FrameHubTest::describe)
			.containsExactly("STOPPED", "f1", "f2", "DISCONNECTED", "f3");
	}

	@Test
	void aHubThatSkipsFramesKeepsItsSubscribersAndTellsEachWhatItMissedInOrder() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DISCONNECT, 10);
		RecordingSink caughtUp = new RecordingSink();
		hub.subscribe(caughtUp, null);
		RecordingSink behind = held(hub);
		hub.publish(1, bytes("f1"));
		hub.publish(2, bytes("f2"));
		await().until(() -> caughtUp.frames().size() == 2);
		// frames 3 to 40 left the cluster's stream before this replica read them: more than a queue's bound
		hub.skip(40);
		hub.publish(41, bytes("f41"));
		behind.release();
		await().until(() -> caughtUp.frames().size() == 3 && behind.frames().size() == 1);
		assertThat(caughtUp.items).extracting(FrameHubTest::describe)
			.containsExactly("STOPPED", "f1", "f2", "gap 38 replica-behind", "f41");
		// what it had not written yet is gone with the rest, told once, and not as its own loss
		assertThat(behind.items).extracting(FrameHubTest::describe)
			.containsExactly("STOPPED", "gap 40 replica-behind", "f41");
		assertThat(caughtUp.abortedBecause).isNull();
		assertThat(behind.closedBecause).isNull();
		assertThat(hub.slowConsumerDrops()).isZero();
		assertThat(hub.latestSeq()).isEqualTo(41);
		RecordingSink returning = new RecordingSink();
		hub.subscribe(returning, hub.run() + "-2");
		await().until(() -> returning.frames().size() == 1);
		assertThat(returning.items).extracting(FrameHubTest::describe)
			.containsExactly("STOPPED", "gap 38 evicted", "f41");
	}

	@Test
	void aSubscriberWhoseQueueOverflowsWhileItsSocketIsFullIsToldOfTheGapInOrder() {
		FrameHub hub = hub(2, SlowConsumerPolicy.DROP_OLDEST, 0);
		RecordingSink sink = held(hub);
		hub.publish(bytes("f1"));
		hub.linkStateChanged(disconnected());
		for (int n = 2; n <= 5; n++) {
			hub.publish(bytes("f" + n));
		}
		sink.release();
		await().until(() -> sink.frames().size() == 2);
		// the notice after a lost frame still comes, after the gap that tells of the loss
		assertThat(sink.items).extracting(FrameHubTest::describe)
			.containsExactly("STOPPED", "gap 3 slow-consumer", "DISCONNECTED", "f4", "f5");
		assertThat(hub.slowConsumerDrops()).isEqualTo(3);
	}

	/**
	 * Many frames through a small log, to subscribers that keep up and to ones whose writes
	 * complete later, on a thread of their own, as a socket's do: each gets every frame once
	 * and in order, and is told of every frame it lost, and the count agrees.
	 */
	@Test
	void underLoadEachSubscriberGetsEveryFrameOnceInOrderOrIsToldOfItsLoss() throws Exception {
		FrameHub hub = hub(64, SlowConsumerPolicy.DROP_OLDEST, 16);
		ExecutorService sockets = Executors.newFixedThreadPool(2);
		try {
			List<CheckingSink> sinks = List.of(new CheckingSink(null), new CheckingSink(null), new CheckingSink(sockets),
					new CheckingSink(sockets));
			sinks.forEach((sink) -> hub.subscribe(sink, null));
			int frames = 100_000;
			for (int n = 1; n <= frames; n++) {
				hub.publish(bytes("f" + n));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> sinks.stream().allMatch((sink) -> sink.last == frames));
			for (CheckingSink sink : sinks) {
				assertThat(sink.outOfOrder).isZero();
				assertThat(sink.frames + sink.missed).isEqualTo(frames);
			}
			assertThat(hub.slowConsumerDrops()).isEqualTo(sinks.stream().mapToLong((sink) -> sink.missed).sum());
		}
		finally {
			sockets.shutdownNow();
		}
	}

	/** A new subscriber whose first write, the link's state, waits on a socket that takes nothing. */
	private static RecordingSink held(FrameHub hub) {
		RecordingSink sink = new RecordingSink();
		sink.hold();
		hub.subscribe(sink, null);
		await().until(sink::isHolding);
		return sink;
	}

	private static LinkStateChangedEvent disconnected() {
		return new LinkStateChangedEvent("default", LinkState.DISCONNECTED, Instant.now(), "gone", null);
	}

	private static String describe(StreamItem item) {
		if (item instanceof Frame frame) {
			return new String(frame.payload());
		}
		if (item instanceof Notice.Gap gap) {
			return "gap " + gap.missed() + " " + gap.reason();
		}
		return ((Notice.Connection) item).state().name();
	}

	@Test
	void aNamedLinksIdsBeginWithItsNameAndAnotherLinksIdIsRefused() {
		FrameHub defaultHub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 3);
		defaultHub.publish(bytes("one"));
		this.link = "plc-1";
		FrameHub named = hub(8, SlowConsumerPolicy.DROP_OLDEST, 3);
		named.publish(bytes("two"));
		RecordingSink sink = new RecordingSink();
		named.subscribe(sink, null);
		named.publish(bytes("three"));
		await().until(() -> sink.frames().size() == 1);
		assertThat(sink.frames().get(0).id()).matches("plc-1:[0-9a-z]+-2");

		assertThatIllegalArgumentException().isThrownBy(() -> named.subscribe(new RecordingSink(), defaultHub.run() + "-1"))
			.withMessageContaining("link default's, not of link plc-1's");
		assertThatIllegalArgumentException().isThrownBy(() -> defaultHub.subscribe(new RecordingSink(), named.run() + "-1"))
			.withMessageContaining("link plc-1's, not of link default's");
		// its own id, as a client gives it back
		RecordingSink returning = new RecordingSink();
		named.subscribe(returning, named.run() + "-1");
		await().until(() -> returning.frames().size() == 1);
		assertThat(returning.frames()).extracting((frame) -> new String(frame.payload())).containsExactly("three");
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
		slow.hold();
		RecordingSink fast = new RecordingSink();
		hub.subscribe(slow, null);
		hub.subscribe(fast, null);
		await().until(slow::isHolding);
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

	/** With one delivery thread: a write that waits on its socket holds no thread. */
	@Test
	void aSubscriberWhoseSocketIsFullHoldsNoDeliveryThread() {
		this.pool.setCorePoolSize(1);
		FrameHub hub = hub(100, SlowConsumerPolicy.DROP_OLDEST, 100);
		List<RecordingSink> stalled = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			RecordingSink sink = new RecordingSink();
			sink.hold();
			hub.subscribe(sink, null);
			stalled.add(sink);
		}
		RecordingSink healthy = new RecordingSink();
		hub.subscribe(healthy, null);
		await().until(() -> stalled.stream().allMatch(RecordingSink::isHolding));
		for (int n = 1; n <= 50; n++) {
			hub.publish(bytes("f" + n));
		}
		await().until(() -> healthy.frames().size() == 50);
		assertThat(healthy.frames()).extracting(Frame::seq).containsExactlyElementsOf(
				LongStream.rangeClosed(1, 50).boxed().toList());
		assertThat(stalled).allMatch((sink) -> sink.frames().isEmpty());
	}

	@Test
	void aSubscriberWhoseSocketTakesNothingForTheStallTimeoutIsDroppedAndCounted() {
		FrameHub hub = hub(100, SlowConsumerPolicy.DROP_OLDEST, 100, Duration.ofMillis(300));
		hub.start();
		RecordingSink stalled = new RecordingSink();
		stalled.hold();
		RecordingSink healthy = new RecordingSink();
		hub.subscribe(stalled, null);
		hub.subscribe(healthy, null);
		await().until(stalled::isHolding);
		hub.publish(bytes("f1"));
		await().atMost(Duration.ofSeconds(5)).until(() -> stalled.abortedBecause != null);
		assertThat(stalled.abortedBecause).startsWith("stalled: its socket took nothing for");
		assertThat(hub.subscriberCounts().get("sse")).isEqualTo(1);
		assertThat(closed("stalled")).isEqualTo(1);
		assertThat(healthy.closedBecause).isNull();
	}

	@Test
	void aWriteThatKeepsAdvancingIsNotStalled() {
		FrameHub hub = hub(100, SlowConsumerPolicy.DROP_OLDEST, 100, Duration.ofMillis(300));
		hub.start();
		RecordingSink slow = new RecordingSink();
		slow.hold();
		hub.subscribe(slow, null);
		await().until(slow::isHolding);
		// a slow client: its socket takes a little of the write, again and again, past the timeout
		long until = System.nanoTime() + Duration.ofMillis(1200).toNanos();
		await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
			slow.advance();
			return System.nanoTime() > until;
		});
		assertThat(slow.abortedBecause).isNull();
		slow.release();
		await().until(() -> slow.items.size() == 1);
		assertThat(closed("stalled")).isZero();
	}

	@Test
	void underTheDisconnectPolicyASubscriberThatFallsBehindIsClosed() {
		FrameHub hub = hub(4, SlowConsumerPolicy.DISCONNECT, 100);
		RecordingSink slow = new RecordingSink();
		slow.hold();
		hub.subscribe(slow, null);
		await().until(slow::isHolding);
		for (int n = 1; n <= 10; n++) {
			hub.publish(bytes("f" + n));
		}
		// its write waits on a socket that takes nothing: it is dropped at once, not told goodbye
		await().until(() -> slow.abortedBecause != null);
		assertThat(slow.abortedBecause).contains("too slow");
		assertThat(hub.subscriberCounts().get("sse")).isZero();
		assertThat(hub.slowConsumerDrops()).isEqualTo(5);
		assertThat(closed("slow-consumer")).isEqualTo(1);
	}

	@Test
	void aSubscriberThatKeepsUpIsClosedWithAGoodbyeAtShutdown() {
		FrameHub hub = hub(4, SlowConsumerPolicy.DROP_OLDEST, 100);
		RecordingSink sink = new RecordingSink();
		hub.subscribe(sink, null);
		await().until(() -> sink.items.size() == 1);
		hub.stop();
		await().until(() -> sink.closedBecause != null);
		assertThat(sink.closedBecause).isEqualTo("the bridge is shutting down");
		assertThat(closed("shutdown")).isEqualTo(1);
	}

	@Test
	void everyPublishedFrameIsToldWithItsIdInOrder() {
		FrameHub hub = hub(8, SlowConsumerPolicy.DROP_OLDEST, 10);
		List<Frame> told = new ArrayList<>();
		hub.onPublished(told::add);
		hub.publish(bytes("one"));
		hub.publish(bytes("two"));
		assertThat(told).extracting(Frame::payload).containsExactly(bytes("one"), bytes("two"));
		assertThat(told.get(1).seq()).isEqualTo(told.get(0).seq() + 1);
	}

	private double closed(String reason) {
		return this.meters.get("bridge.subscribers.closed").tag("reason", reason).tag("transport", "sse").counter().count();
	}

	private FrameHub hub(int queue, SlowConsumerPolicy policy, int history) {
		return hub(queue, policy, history, Duration.ofSeconds(30));
	}

	private FrameHub hub(int queue, SlowConsumerPolicy policy, int history, Duration stallTimeout) {
		StreamProperties properties = new StreamProperties(history, DataSize.ofMegabytes(1), queue, policy,
				Duration.ofSeconds(15), 8000, stallTimeout, DataSize.ofKilobytes(128));
		if (!this.pool.isRunning()) {
			this.pool.initialize();
			this.scheduler.initialize();
		}
		FrameHub hub = new FrameHub(this.link, properties, new DeliveryThreads(this.pool), this.scheduler, this.meters);
		this.hubs.add(hub);
		return hub;
	}

	private static byte[] bytes(String text) {
		return text.getBytes();
	}

	/** A sink of an SSE subscriber, for counting; its client's address is none. */
	private abstract static class TestSink implements SubscriberSink {

		@Override
		public Transport transport() {
			return Transport.SSE;
		}

		@Override
		public String client() {
			return "test";
		}

	}

	/**
	 * Checks what it is given as it comes, without keeping it: frames in order, and the
	 * frames lost that gaps tell of. Its writes complete at once, or later on {@code socket}.
	 */
	private static final class CheckingSink extends TestSink {

		private final Executor socket;

		volatile long last;

		long frames;

		long missed;

		long outOfOrder;

		CheckingSink(Executor socket) {
			this.socket = socket;
		}

		@Override
		public void write(Collection<StreamItem> batch, Progress progress) {
			// one write at a time: what it counts is seen by the next write, and by the test once last is
			synchronized (this) {
				for (StreamItem item : batch) {
					if (item instanceof Frame frame) {
						if (frame.seq() <= this.last) {
							this.outOfOrder++;
						}
						this.frames++;
						this.last = frame.seq();
					}
					else if (item instanceof Notice.Gap gap) {
						this.missed += gap.missed();
					}
				}
			}
			if (this.socket == null) {
				progress.written();
			}
			else {
				this.socket.execute(progress::written);
			}
		}

		@Override
		public void close(String reason) {
		}

		@Override
		public void abort(String reason) {
		}

	}

	/**
	 * Records what it is given, once written; can be made to hold its writes, as a client's
	 * socket that is full holds them, until released.
	 */
	private static final class RecordingSink extends TestSink {

		final List<StreamItem> items = new CopyOnWriteArrayList<>();

		volatile String closedBecause;

		volatile String abortedBecause;

		private boolean holding;

		private List<StreamItem> held;

		private Progress heldProgress;

		synchronized void hold() {
			this.holding = true;
		}

		synchronized boolean isHolding() {
			return this.held != null;
		}

		void release() {
			Progress progress;
			synchronized (this) {
				this.holding = false;
				if (this.held == null) {
					return;
				}
				this.items.addAll(this.held);
				this.held = null;
				progress = this.heldProgress;
			}
			progress.written();
		}

		void advance() {
			Progress progress;
			synchronized (this) {
				progress = this.heldProgress;
			}
			progress.advanced();
		}

		List<Frame> frames() {
			return this.items.stream().filter(Frame.class::isInstance).map(Frame.class::cast).toList();
		}

		@Override
		public void write(Collection<StreamItem> batch, Progress progress) {
			synchronized (this) {
				if (this.holding) {
					this.held = new ArrayList<>(batch);
					this.heldProgress = progress;
					return;
				}
			}
			this.items.addAll(batch);
			progress.written();
		}

		@Override
		public void close(String reason) {
			this.closedBecause = reason;
		}

		@Override
		public void abort(String reason) {
			this.abortedBecause = reason;
		}

	}

}
