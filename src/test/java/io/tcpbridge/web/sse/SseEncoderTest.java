package io.tcpbridge.web.sse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.StreamItem;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.web.PayloadEncoding;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SSE wire format, spelled out by hand: frames, their ids and encodings, notices and
 * keep-alives; and a frame rendered once for every subscriber on its encoding.
 */
class SseEncoderTest {

	private final SseEncoder encoder = new SseEncoder(JsonMapper.builder().build());

	private final StreamItem.Visitor<byte[]> utf8 = this.encoder.events(PayloadEncoding.UTF8);

	@Test
	void aFrameIsAnEventWithItsIdAndData() {
		assertThat(text(frame(42, "tick 42"))).isEqualTo("event: frame\nid: run1-42\ndata: tick 42\n\n");
	}

	@Test
	void aLineFeedInAFrameStartsAnotherDataLine() {
		assertThat(text(frame(7, "one\ntwo\n"))).isEqualTo("event: frame\nid: run1-7\ndata: one\ndata: two\ndata: \n\n");
	}

	@Test
	void aFrameThatSseCannotCarryAsTextTravelsInBase64() {
		assertThat(text(frame(1, "a\rb"))).isEqualTo("event: frame-base64\nid: run1-1\ndata: YQ1i\n\n");
		Frame binary = new Frame(2, "run1", new byte[] { (byte) 0xff, 0x00 }, 0);
		assertThat(text(binary)).isEqualTo("event: frame-base64\nid: run1-2\ndata: /wA=\n\n");
	}

	@Test
	void otherEncodingsCarryEveryFrameAsTheySay() {
		byte[] event = frame(3, "hi").accept(this.encoder.events(PayloadEncoding.HEX));
		assertThat(new String(event, StandardCharsets.US_ASCII)).isEqualTo("event: frame\nid: run1-3\ndata: 6869\n\n");
	}

	@Test
	void noticesAreJsonEventsAndAKeepAliveIsAComment() {
		Notice.Connection connection = new Notice.Connection(LinkState.CONNECTED, Instant.parse("2026-12-01T08:00:00Z"),
				null);
		assertThat(text(connection))
			.isEqualTo("event: connection\ndata: {\"state\":\"CONNECTED\",\"at\":\"2026-12-01T08:00:00Z\",\"error\":null}\n\n");
		assertThat(text(new Notice.Gap(3, "evicted"))).isEqualTo("event: gap\ndata: {\"missed\":3,\"reason\":\"evicted\"}\n\n");
		assertThat(text(new Notice.Heartbeat())).isEqualTo(": keep-alive\n\n");
	}

	@Test
	void aFrameIsRenderedOnceForEverySubscriberOnItsEncoding() {
		Frame frame = frame(9, "shared");
		assertThat(frame.accept(this.utf8)).isSameAs(frame.accept(this.utf8));
		// a frame a whole ring later takes the slot, and has its own event
		Frame later = frame(9 + RenderedFrames.SLOTS, "later");
		assertThat(text(later)).endsWith("data: later\n\n");
		assertThat(text(frame)).endsWith("data: shared\n\n");
	}

	private String text(StreamItem item) {
		return new String(item.accept(this.utf8), StandardCharsets.UTF_8);
	}

	private static Frame frame(long seq, String payload) {
		return new Frame(seq, "run1", payload.getBytes(StandardCharsets.UTF_8), 0);
	}

}
