package io.tcpbridge.stream;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** One subscriber's place in the log, moved by hand: what it takes, what it loses, and when it ends. */
class SubscriberCursorTest {

	private final AtomicLong lost = new AtomicLong();

	private FrameLog log = new FrameLog(10, Long.MAX_VALUE, 2, 0);

	@Test
	void takesWhatWaitsInOrderThenNothing() {
		SubscriberCursor cursor = cursor(2, SlowConsumerPolicy.DROP_OLDEST);
		publish(2, cursor);
		assertThat(seqs(cursor.take())).containsExactly(1L, 2L);
		assertThat(cursor.take()).isNull();
		assertThat(cursor.isEmpty()).isTrue();
	}

	@Test
	void aReplayThatFallsBehindTheLiveFramesLosesItsOldest() {
		publish(8, null);
		// back with frame 2: frames 3 to 8 are replayed, and two live ones may wait besides
		SubscriberCursor cursor = new SubscriberCursor(this.log, 2, SlowConsumerPolicy.DROP_OLDEST, 3, 9, List.of(),
				this.lost::addAndGet);
		publish(2, cursor);
		assertThat(this.lost).hasValue(0);
		publish(1, cursor);
		assertThat(this.lost).hasValue(7);
		List<StreamItem> batch = cursor.take();
		assertThat(batch.get(0)).isEqualTo(new Notice.Gap(7, Notice.Gap.SLOW_CONSUMER));
		assertThat(seqs(batch)).containsExactly(10L, 11L);
	}

	@Test
	void aStreamAskedToEndWritesWhatWaitedThenAndNothingAfter() {
		SubscriberCursor cursor = cursor(4, SlowConsumerPolicy.DROP_OLDEST);
		publish(2, cursor);
		cursor.requestEnd(new SubscriberCursor.End(CloseReason.SHUTDOWN, "bye"));
		publish(1, cursor);
		assertThat(seqs(cursor.take())).containsExactly(1L, 2L);
		assertThat(cursor.take()).isNull();
		// it reads no more, so it holds nothing in the log
		assertThat(cursor.position()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aStreamThatEndsSlowlyIsLappedLikeAnyOtherAndHoldsNoMoreThanItsBound() {
		SubscriberCursor cursor = cursor(2, SlowConsumerPolicy.DROP_OLDEST);
		publish(3, cursor);
		assertThat(this.lost).hasValue(1);
		cursor.requestEnd(new SubscriberCursor.End(CloseReason.SHUTDOWN, "bye"));
		// frames 2 and 3 are what it still owes; it falls behind as they come
		publish(1, cursor);
		assertThat(cursor.position()).isEqualTo(3);
		publish(20, cursor);
		assertThat(cursor.position()).isEqualTo(Long.MAX_VALUE);
		assertThat(this.lost).hasValue(3);
		assertThat(cursor.take()).containsExactly(new Notice.Gap(3, Notice.Gap.SLOW_CONSUMER));
		assertThat(cursor.take()).isNull();
	}

	@Test
	void underTheDisconnectPolicyItLosesEverythingThatWaitedAndEnds() {
		SubscriberCursor cursor = cursor(2, SlowConsumerPolicy.DISCONNECT);
		publish(3, cursor);
		assertThat(this.lost).hasValue(3);
		assertThat(cursor.end().reason()).isEqualTo(CloseReason.SLOW_CONSUMER);
		assertThat(cursor.position()).isEqualTo(Long.MAX_VALUE);
		assertThat(cursor.take()).isNull();
	}

	@Test
	void aWriteTakesAtMostABatchAndANoticeStaysAfterItsFrame() {
		int frames = SubscriberCursor.MAX_BATCH + 1;
		this.log = new FrameLog(0, Long.MAX_VALUE, frames, 0);
		SubscriberCursor cursor = cursor(frames, SlowConsumerPolicy.DROP_OLDEST);
		publish(SubscriberCursor.MAX_BATCH, cursor);
		Notice.Connection down = new Notice.Connection(LinkState.DISCONNECTED, Instant.now(), null);
		cursor.notify(down);
		publish(1, cursor);
		List<StreamItem> first = cursor.take();
		assertThat(first).hasSize(SubscriberCursor.MAX_BATCH + 1).last().isEqualTo(down);
		assertThat(seqs(cursor.take())).containsExactly((long) frames);
	}

	@Test
	void keepAlivesThatWaitTogetherAreOne() {
		SubscriberCursor cursor = cursor(2, SlowConsumerPolicy.DROP_OLDEST);
		cursor.notify(new Notice.Heartbeat());
		cursor.notify(new Notice.Heartbeat());
		assertThat(cursor.take()).containsExactly(new Notice.Heartbeat());
	}

	@Test
	void anEndingStreamTakesNoMoreNotices() {
		SubscriberCursor cursor = cursor(2, SlowConsumerPolicy.DROP_OLDEST);
		cursor.requestEnd(new SubscriberCursor.End(CloseReason.SHUTDOWN, "bye"));
		cursor.notify(new Notice.Heartbeat());
		assertThat(cursor.take()).isNull();
	}

	private SubscriberCursor cursor(int capacity, SlowConsumerPolicy policy) {
		long from = this.log.published() + 1;
		return new SubscriberCursor(this.log, capacity, policy, from, from, List.of(), this.lost::addAndGet);
	}

	/** Publishes frames as the hub does: each added, then the cursor lapped if it fell behind. */
	private void publish(int frames, SubscriberCursor cursor) {
		for (int i = 0; i < frames; i++) {
			long seq = this.log.published() + 1;
			this.log.add(new Frame(seq, "r", new byte[1], 0));
			if (cursor != null) {
				cursor.lapIfBehind(seq);
			}
		}
	}

	private static List<Long> seqs(List<StreamItem> items) {
		return items.stream().filter(Frame.class::isInstance).map((item) -> ((Frame) item).seq()).toList();
	}

}
