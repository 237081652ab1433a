package io.tcpbridge.stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FrameLogTest {

	@Test
	void theHistoryKeepsTheLatestFramesByCount() {
		FrameLog log = filled(new FrameLog(3, Long.MAX_VALUE, 4, 0), 5, 10);
		assertThat(log.historySize()).isEqualTo(3);
		assertThat(log.after(0)).isEqualTo(new FrameLog.Replay(3, 2));
	}

	@Test
	void theHistoryKeepsWithinItsByteBudget() {
		FrameLog log = filled(new FrameLog(100, 25, 4, 0), 5, 10);
		assertThat(log.historySize()).isEqualTo(2);
		assertThat(log.historyBytes()).isEqualTo(20);
	}

	@Test
	void replaysEveryFrameAfterOneStillHeld() {
		FrameLog log = filled(new FrameLog(10, Long.MAX_VALUE, 4, 0), 8, 1);
		assertThat(log.after(5)).isEqualTo(new FrameLog.Replay(6, 0));
		assertThat(log.get(6).seq()).isEqualTo(6);
	}

	@Test
	void countsTheFramesNoLongerHeld() {
		FrameLog log = filled(new FrameLog(3, Long.MAX_VALUE, 4, 0), 10, 1);
		assertThat(log.after(2)).isEqualTo(new FrameLog.Replay(8, 5));
	}

	@Test
	void aSubscriberThatIsUpToDateGetsNothing() {
		FrameLog log = filled(new FrameLog(3, Long.MAX_VALUE, 4, 0), 10, 1);
		assertThat(log.after(10)).isEqualTo(new FrameLog.Replay(11, 0));
	}

	@Test
	void withoutHistoryEveryFrameSinceIsMissed() {
		FrameLog log = filled(new FrameLog(0, Long.MAX_VALUE, 4, 0), 10, 1);
		assertThat(log.after(4)).isEqualTo(new FrameLog.Replay(11, 6));
	}

	@Test
	void aFrameLargerThanTheBudgetIsNotKeptForReplay() {
		FrameLog log = filled(new FrameLog(10, 5, 4, 0), 1, 6);
		assertThat(log.historySize()).isZero();
		assertThat(log.after(0).missed()).isEqualTo(1);
	}

	@Test
	void framesBeyondTheHistoryStayUntilNoSubscriberReadsThem() {
		FrameLog log = filled(new FrameLog(2, Long.MAX_VALUE, 4, 0), 5, 1);
		// a subscriber still at frame 2: frames 2 to 5 stay, though the history holds only 4 and 5
		log.release(2);
		assertThat(log.get(1)).isNull();
		assertThat(log.get(2)).isNotNull();
		assertThat(log.get(3)).isNotNull();
		log.release(6);
		assertThat(log.get(3)).isNull();
		// the history's frames stay whatever the subscribers have read
		assertThat(log.get(4)).isNotNull();
		assertThat(log.get(5)).isNotNull();
	}

	@Test
	void aFrameIsHeldOnceForEverySubscriberUpToTheirBound() {
		// room for the history and one subscriber's bound: the oldest slot is taken again only after both
		FrameLog log = filled(new FrameLog(2, Long.MAX_VALUE, 3, 0), 5, 1);
		assertThat(log.get(1)).isNotNull();
		log.add(new Frame(6, "r", new byte[1], 0));
		assertThat(log.get(1)).isNull();
		assertThat(log.get(2)).isNotNull();
		assertThat(log.published()).isEqualTo(6);
	}

	@Test
	void aLogNumberedElsewhereStartsAfterItsPlace() {
		FrameLog log = new FrameLog(3, Long.MAX_VALUE, 4, 1000);
		assertThat(log.published()).isEqualTo(1000);
		assertThat(log.historySize()).isZero();
		assertThat(log.after(990)).isEqualTo(new FrameLog.Replay(1001, 10));
		for (long seq = 1001; seq <= 1005; seq++) {
			log.add(new Frame(seq, "r", new byte[1], 0));
		}
		assertThat(log.historySize()).isEqualTo(3);
		assertThat(log.after(1000)).isEqualTo(new FrameLog.Replay(1003, 2));
		assertThat(log.get(1005)).isNotNull();
	}

	private static FrameLog filled(FrameLog log, int frames, int size) {
		for (long seq = 1; seq <= frames; seq++) {
			log.add(new Frame(seq, "r", new byte[size], 0));
		}
		return log;
	}

}
