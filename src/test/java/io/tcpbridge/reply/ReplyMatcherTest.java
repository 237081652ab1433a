package io.tcpbridge.reply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.tcpbridge.stream.Frame;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The matchers and collectors alone, frames handed in as the hub would: which request each
 * frame answers, and where a reply ends.
 */
class ReplyMatcherTest {

	private final List<String> written = new ArrayList<>();

	private final AtomicInteger late = new AtomicInteger();

	private long seq;

	@Test
	void inOrderRepliesGoToTheOldestRequestFirst() throws Exception {
		InOrderMatcher fifo = new InOrderMatcher(8, false, this.late::incrementAndGet);
		Exchange one = begin(fifo, "one", ReplyShape.frames(2));
		Exchange two = begin(fifo, "two", ReplyShape.frames(1));
		assertThat(this.written).containsExactly("one", "two");
		assertThat(fifo.inFlight()).isEqualTo(2);
		fifo.received(frame("1a"));
		fifo.received(frame("1b"));
		fifo.received(frame("2"));
		assertThat(texts(one.await(soon()))).containsExactly("1a", "1b");
		assertThat(texts(two.await(soon()))).containsExactly("2");
		assertThat(fifo.inFlight()).isZero();
	}

	@Test
	void aFrameNoRequestWaitsForIsOnlyPublished() throws Exception {
		InOrderMatcher fifo = new InOrderMatcher(8, false, this.late::incrementAndGet);
		fifo.received(frame("unasked"));
		Exchange one = begin(fifo, "one", ReplyShape.frames(1));
		fifo.received(frame("answer"));
		assertThat(texts(one.await(soon()))).containsExactly("answer");
	}

	@Test
	void fifoRefusesOneMoreThanItsMaximum() throws Exception {
		InOrderMatcher fifo = new InOrderMatcher(1, false, this.late::incrementAndGet);
		begin(fifo, "one", ReplyShape.frames(1));
		assertThatExceptionOfType(TooManyInFlightException.class).isThrownBy(() -> begin(fifo, "two", ReplyShape.frames(1)));
		assertThat(this.written).containsExactly("one");
	}

	@Test
	void serialMakesTheNextRequestWaitForItsTurn() throws Exception {
		InOrderMatcher serial = new InOrderMatcher(1, true, this.late::incrementAndGet);
		begin(serial, "one", ReplyShape.frames(1));
		assertThatExceptionOfType(TimeoutException.class)
			.isThrownBy(() -> serial.begin(bytes("two"), ReplyShape.frames(1), System.nanoTime() + 50_000_000L, this::write));
		serial.received(frame("re:one"));
		Exchange two = begin(serial, "two", ReplyShape.frames(1));
		serial.received(frame("re:two"));
		assertThat(texts(two.await(soon()))).containsExactly("re:two");
	}

	@Test
	void aLateRequestKeepsItsPlaceForItsGraceSoItsReplyIsNotTheNextOnes() throws Exception {
		InOrderMatcher fifo = new InOrderMatcher(8, false, this.late::incrementAndGet);
		Exchange first = begin(fifo, "first", ReplyShape.frames(1));
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> first.await(System.nanoTime()));
		// its grace not over yet: it keeps its place
		Exchange second = begin(fifo, "second", ReplyShape.frames(1));
		fifo.received(frame("re:first"));
		fifo.received(frame("re:second"));
		assertThat(texts(second.await(soon()))).containsExactly("re:second");
		assertThat(this.late).hasValue(1);
	}

	@Test
	void aLateRequestWhoseReplyNeverCameIsForgottenAfterItsGrace() throws Exception {
		InOrderMatcher serial = new InOrderMatcher(1, true, this.late::incrementAndGet);
		Exchange first = begin(serial, "first", ReplyShape.frames(1));
		assertThatExceptionOfType(TimeoutException.class).isThrownBy(() -> first.await(System.nanoTime()));
		serial.forget(first);
		assertThat(serial.inFlight()).isZero();
		Exchange second = begin(serial, "second", ReplyShape.frames(1));
		serial.received(frame("re:second"));
		assertThat(texts(second.await(soon()))).containsExactly("re:second");
		assertThat(this.late).hasValue(0);
	}

	@Test
	void aResetFailsEveryWaitingRequest() {
		InOrderMatcher fifo = new InOrderMatcher(8, false, this.late::incrementAndGet);
		Exchange one = begin(fifo, "one", ReplyShape.frames(1));
		fifo.reset(new ReplyLostException("gone"));
		assertThatExceptionOfType(ReplyLostException.class).isThrownBy(() -> one.await(soon())).withMessage("gone");
		assertThat(fifo.inFlight()).isZero();
	}

	@Test
	void aWriteThatFailsLeavesNoPlaceBehind() {
		InOrderMatcher fifo = new InOrderMatcher(1, false, this.late::incrementAndGet);
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> fifo.begin(bytes("x"), ReplyShape.frames(1),
				soon(), (request) -> {
					throw new IllegalStateException("not connected");
				}));
		assertThat(fifo.inFlight()).isZero();
		begin(fifo, "y", ReplyShape.frames(1));
	}

	@Test
	void keyRepliesGoToTheirRequestsInAnyOrder() throws Exception {
		KeyMatcher key = new KeyMatcher(ReplyKey.parse("bytes:0:2", "key"), 8, this.late::incrementAndGet);
		Exchange a = begin(key, "a1 read", ReplyShape.frames(1));
		Exchange b = begin(key, "b2 read", ReplyShape.frames(1));
		key.received(frame("b2 done"));
		key.received(frame("zz nobody's"));
		key.received(frame("x"));
		key.received(frame("a1 done"));
		assertThat(texts(a.await(soon()))).containsExactly("a1 done");
		assertThat(texts(b.await(soon()))).containsExactly("b2 done");
	}

	@Test
	void keyRefusesADuplicateKeyOneRequestTooManyAndARequestWithoutItsKey() {
		KeyMatcher key = new KeyMatcher(ReplyKey.parse("bytes:0:2", "key"), 2, this.late::incrementAndGet);
		begin(key, "a1", ReplyShape.frames(1));
		assertThatExceptionOfType(KeyInFlightException.class).isThrownBy(() -> begin(key, "a1 again", ReplyShape.frames(1)))
			.withMessageContaining("6131");
		assertThatExceptionOfType(BadReplyRequestException.class).isThrownBy(() -> begin(key, "a", ReplyShape.frames(1)));
		begin(key, "b2", ReplyShape.frames(1));
		assertThatExceptionOfType(TooManyInFlightException.class).isThrownBy(() -> begin(key, "c3", ReplyShape.frames(1)));
		assertThat(this.written).containsExactly("a1", "b2");
	}

	@Test
	void aRegexKeyIsItsFirstGroup() {
		ReplyKey key = ReplyKey.parse("regex:\"id\":(\\d+)", "key");
		assertThat(key.of(bytes("{\"id\":42,\"r\":1}"))).isEqualTo("42");
		assertThat(key.of(bytes("{\"event\":\"tick\"}"))).isNull();
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ReplyKey.parse("regex:id", "key"))
			.withMessageContaining("no group");
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ReplyKey.parse("bytes:0", "key"));
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> ReplyKey.parse("offset:0:2", "key"));
	}

	@Test
	void untilEndsAtTheFirstMatchAndNeverHoldsMoreThanTheMost() {
		ReplyCollector smtp = ReplyShape.until(Pattern.compile("^\\d{3} ")).collector();
		assertThat(smtp.add(frame("250-a"))).isFalse();
		assertThat(smtp.add(frame("250 ok"))).isTrue();
		ReplyCollector endless = ReplyShape.until(Pattern.compile("never")).collector();
		for (int i = 1; i < ReplyShape.MOST_FRAMES; i++) {
			assertThat(endless.add(frame("line"))).isFalse();
		}
		assertThat(endless.add(frame("line"))).isTrue();
		assertThat(endless.frames()).hasSize(ReplyShape.MOST_FRAMES);
	}

	private Exchange begin(ReplyMatcher matcher, String request, ReplyShape shape) {
		try {
			return matcher.begin(bytes(request), shape, soon(), this::write);
		}
		catch (TimeoutException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void write(byte[] request) {
		this.written.add(new String(request, StandardCharsets.UTF_8));
	}

	private Frame frame(String text) {
		return new Frame(++this.seq, "test", bytes(text), System.nanoTime());
	}

	private static long soon() {
		return System.nanoTime() + Duration.ofSeconds(5).toNanos();
	}

	private static List<String> texts(List<Frame> frames) {
		return frames.stream().map((frame) -> new String(frame.payload(), StandardCharsets.UTF_8)).toList();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
