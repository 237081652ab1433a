package io.tcpbridge.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameHistoryTest {

	@Test
	void keepsTheLatestFramesByCount() {
		FrameHistory history = filled(new FrameHistory(3, Long.MAX_VALUE), 5, 10);
		assertThat(history.size()).isEqualTo(3);
		assertThat(history.after(0, 5).frames()).extracting(Frame::seq).containsExactly(3L, 4L, 5L);
	}

	@Test
	void keepsWithinTheByteBudget() {
		FrameHistory history = filled(new FrameHistory(100, 25), 5, 10);
		assertThat(history.size()).isEqualTo(2);
		assertThat(history.bytes()).isEqualTo(20);
	}

	@Test
	void replaysEveryFrameAfterOneStillHeld() {
		FrameHistory.Replay replay = filled(new FrameHistory(10, Long.MAX_VALUE), 8, 1).after(5, 8);
		assertThat(replay.frames()).extracting(Frame::seq).containsExactly(6L, 7L, 8L);
		assertThat(replay.missed()).isZero();
	}

	@Test
	void countsTheFramesNoLongerHeld() {
		FrameHistory.Replay replay = filled(new FrameHistory(3, Long.MAX_VALUE), 10, 1).after(2, 10);
		assertThat(replay.missed()).isEqualTo(5);
		assertThat(replay.frames()).extracting(Frame::seq).containsExactly(8L, 9L, 10L);
	}

	@Test
	void aSubscriberThatIsUpToDateGetsNothing() {
		FrameHistory.Replay replay = filled(new FrameHistory(3, Long.MAX_VALUE), 10, 1).after(10, 10);
		assertThat(replay.frames()).isEmpty();
		assertThat(replay.missed()).isZero();
	}

	@Test
	void withoutHistoryEveryFrameSinceIsMissed() {
		FrameHistory.Replay replay = filled(new FrameHistory(0, Long.MAX_VALUE), 10, 1).after(4, 10);
		assertThat(replay.frames()).isEmpty();
		assertThat(replay.missed()).isEqualTo(6);
	}

	@Test
	void aFrameLargerThanTheBudgetIsNotKept() {
		FrameHistory history = filled(new FrameHistory(10, 5), 1, 6);
		assertThat(history.size()).isZero();
		assertThat(history.after(0, 1).missed()).isEqualTo(1);
	}

	private static FrameHistory filled(FrameHistory history, int frames, int size) {
		for (long seq = 1; seq <= frames; seq++) {
			history.add(new Frame(seq, "r", new byte[size], 0));
		}
		return history;
	}

}
