package io.tcpbridge.web.sse;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.StreamItem;
import io.tcpbridge.web.PayloadEncoding;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;

/**
 * Turns a stream's items into Server-Sent Events, in bytes:
 *
 * <pre>
 * event: frame            event: connection                       event: gap
 * id: lx3k9a2b-42         data: {"state":"CONNECTED",...}         data: {"missed":3,"reason":"evicted"}
 * data: tick 42
 * </pre>
 *
 * and a keep-alive as the comment {@code : keep-alive}. On a {@code utf8} stream a frame
 * that is not valid UTF-8, or holds a carriage return (which SSE would turn into a line
 * break), is sent as {@code event: frame-base64} with its bytes in base64, never altered. A
 * line feed in the data starts a new {@code data:} line, which clients join back.
 *
 * <p>A frame's event is rendered once per encoding and shared by every subscriber on it: the
 * latest frames' events are kept, by frame number, in a {@link RenderedFrames} per encoding.
 * Thread-safe.
 */
@Component
final class SseEncoder {

	static final String FRAME = "frame";

	static final String FRAME_BASE64 = "frame-base64";

	private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_FRAME = eventLine(FRAME);

	private static final byte[] EVENT_FRAME_BASE64 = eventLine(FRAME_BASE64);

	private static final byte[] EVENT_CONNECTION = eventLine("connection");

	private static final byte[] EVENT_GAP = eventLine("gap");

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	private final Map<PayloadEncoding, Events> events = new EnumMap<>(PayloadEncoding.class);

	private final ObjectMapper json;

	/** {@code id: <run>-}, for the run of the frames seen last: the same for every frame of a run. */
	private volatile @Nullable RunPrefix runPrefix;

	SseEncoder(ObjectMapper json) {
		this.json = json;
		for (PayloadEncoding encoding : PayloadEncoding.values()) {
			this.events.put(encoding, new Events(encoding));
		}
	}

	/** The events of a stream whose frames travel in this encoding. */
	StreamItem.Visitor<byte[]> events(PayloadEncoding encoding) {
		return this.events.get(encoding);
	}

	private static byte[] eventLine(String event) {
		return ("event: " + event + "\n").getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * A frame's event: its bytes as they are when they are UTF-8 without a carriage return,
	 * else base64. One pass over the payload tells which, and where its lines break.
	 */
	private byte[] render(Frame frame, PayloadEncoding encoding) {
		IdLine id = idLine(frame);
		byte[] payload = frame.payload();
		if (encoding != PayloadEncoding.UTF8) {
			return event(EVENT_FRAME, id, encoding.encode(payload).getBytes(StandardCharsets.US_ASCII), 0);
		}
		int lineFeeds = 0;
		boolean ascii = true;
		for (byte b : payload) {
			if (b == '\n') {
				lineFeeds++;
			}
			else if (b == '\r') {
				return event(EVENT_FRAME_BASE64, id, Base64.getEncoder().encode(payload), 0);
			}
			else if (b < 0) {
				ascii = false;
			}
		}
		if (!ascii && PayloadEncoding.utf8OrNull(payload) == null) {
			return event(EVENT_FRAME_BASE64, id, Base64.getEncoder().encode(payload), 0);
		}
		return event(EVENT_FRAME, id, payload, lineFeeds);
	}

	/** A notice's event: JSON holds no raw line feed, so its data is one line. */
	private byte[] notice(byte[] eventLine, Notice notice) {
		return event(eventLine, null, this.json.writeValueAsBytes(notice), 0);
	}

	/** One event, in an array of its exact size. */
	private static byte[] event(byte[] eventLine, @Nullable IdLine id, byte[] data, int lineFeeds) {
		int size = eventLine.length + ((id != null) ? id.length() : 0) + (lineFeeds + 1) * (DATA.length + 1)
				+ (data.length - lineFeeds) + 1;
		byte[] text = new byte[size];
		int at = put(text, 0, eventLine);
		if (id != null) {
			at = id.writeTo(text, at);
		}
		if (lineFeeds == 0) {
			at = put(text, at, DATA);
			at = put(text, at, data);
			text[at++] = '\n';
		}
		else {
			int start = 0;
			for (int i = 0; i <= data.length; i++) {
				if (i == data.length || data[i] == '\n') {
					at = put(text, at, DATA);
					System.arraycopy(data, start, text, at, i - start);
					at += i - start;
					text[at++] = '\n';
					start = i + 1;
				}
			}
		}
		text[at] = '\n';
		return text;
	}

	/** {@code id: <run>-<seq>\n}, to be written as bytes: the frame's id as a string is not needed here. */
	private IdLine idLine(Frame frame) {
		RunPrefix prefix = this.runPrefix;
		if (prefix == null || !prefix.run().equals(frame.run())) {
			prefix = new RunPrefix(frame.run(), ("id: " + frame.run() + "-").getBytes(StandardCharsets.US_ASCII));
			this.runPrefix = prefix;
		}
		int digits = 1;
		for (long rest = frame.seq() / 10; rest > 0; rest /= 10) {
			digits++;
		}
		return new IdLine(prefix.bytes(), frame.seq(), digits);
	}

	private static int put(byte[] into, int at, byte[] bytes) {
		System.arraycopy(bytes, 0, into, at, bytes.length);
		return at + bytes.length;
	}

	/** The events of one encoding, with the latest frames' events kept for the next subscriber. */
	private final class Events implements StreamItem.Visitor<byte[]> {

		private final PayloadEncoding encoding;

		private final RenderedFrames rendered = new RenderedFrames();

		Events(PayloadEncoding encoding) {
			this.encoding = encoding;
		}

		@Override
		public byte[] frame(Frame frame) {
			byte[] event = this.rendered.get(frame);
			if (event == null) {
				event = render(frame, this.encoding);
				this.rendered.put(frame, event);
			}
			return event;
		}

		@Override
		public byte[] connection(Notice.Connection connection) {
			return notice(EVENT_CONNECTION, connection);
		}

		@Override
		public byte[] gap(Notice.Gap gap) {
			return notice(EVENT_GAP, gap);
		}

		@Override
		public byte[] heartbeat() {
			return KEEP_ALIVE;
		}

	}

	private record RunPrefix(String run, byte[] bytes) {
	}

	/** An id line not yet written: the run's prefix, then the sequence number in decimal. */
	private record IdLine(byte[] prefix, long seq, int digits) {

		int length() {
			return this.prefix.length + this.digits + 1;
		}

		int writeTo(byte[] into, int at) {
			int end = put(into, at, this.prefix) + this.digits;
			long rest = this.seq;
			for (int i = end - 1; i >= end - this.digits; i--) {
				into[i] = (byte) ('0' + rest % 10);
				rest /= 10;
			}
			into[end] = '\n';
			return end + 1;
		}

	}

}
