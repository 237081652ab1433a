package io.tcpbridge.web;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.SubscriberSink;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpInputMessage;
import org.springframework.http.HttpOutputMessage;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One Server-Sent Events stream. Each batch of frames and notices becomes one block of
 * text, written and flushed at once:
 *
 * <pre>
 * event: frame            event: connection                       event: gap
 * id: lx3k9a2b-42         data: {"state":"CONNECTED",...}         data: {"missed":3,"reason":"evicted"}
 * data: tick 42
 * </pre>
 *
 * On a {@code utf8} stream a frame that is not valid UTF-8, or holds a carriage return
 * (which SSE would turn into a line break), is sent as {@code event: frame-base64} with its
 * bytes in base64, never altered. A frame's event is rendered once, in bytes, and shared by
 * every subscriber on the same encoding.
 */
final class SseSink implements SubscriberSink {

	static final String FRAME = "frame";

	static final String FRAME_BASE64 = "frame-base64";

	/**
	 * The response buffer of a stream, which the server keeps for as long as the stream is
	 * open: a write that fits goes out in one piece when flushed, a larger one past it. With
	 * the server's default (32 KB each) ten thousand streams would hold 320 MB.
	 */
	static final int RESPONSE_BUFFER_BYTES = 2048;

	/** One renderer per encoding, so that a frame's event is rendered once for all who share it. */
	private static final Map<PayloadEncoding, Function<Frame, byte[]>> renderers = new EnumMap<>(PayloadEncoding.class);

	static {
		for (PayloadEncoding encoding : PayloadEncoding.values()) {
			renderers.put(encoding, (frame) -> render(frame, encoding));
		}
	}

	private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_FRAME = ("event: " + FRAME + "\n").getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_FRAME_BASE64 = ("event: " + FRAME_BASE64 + "\n").getBytes(StandardCharsets.US_ASCII);

	private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);

	/** {@code id: <run>-}, for the run of the frames seen last: the same for every frame of a run. */
	private static volatile RunPrefix runPrefix;

	private final SseEmitter emitter;

	private final Function<Frame, byte[]> renderer;

	private final ObjectMapper json;

	private final String client;

	SseSink(SseEmitter emitter, PayloadEncoding encoding, ObjectMapper json, String client) {
		this.emitter = emitter;
		this.renderer = renderers.get(encoding);
		this.json = json;
		this.client = client;
	}

	@Override
	public void write(Collection<Object> items) throws IOException {
		byte[][] events = new byte[items.size()][];
		int size = 0;
		int i = 0;
		for (Object item : items) {
			byte[] event;
			if (item instanceof Frame frame) {
				event = frame.rendered(this.renderer);
			}
			else if (item instanceof Notice.Heartbeat) {
				event = KEEP_ALIVE;
			}
			else if (item instanceof Notice.Connection connection) {
				event = event("connection", this.json.writeValueAsBytes(connection));
			}
			else if (item instanceof Notice.Gap gap) {
				event = event("gap", this.json.writeValueAsBytes(gap));
			}
			else {
				event = new byte[0];
			}
			events[i++] = event;
			size += event.length;
		}
		this.emitter.send(Set.of(new DataWithMediaType(new Events(events, size), MediaType.TEXT_EVENT_STREAM)));
	}

	/**
	 * A frame's event: its bytes as they are when they are UTF-8 without a carriage return,
	 * else base64. One pass over the payload tells which, and where its lines break.
	 */
	private static byte[] render(Frame frame, PayloadEncoding encoding) {
		IdLine id = idLine(frame);
		byte[] payload = frame.payload();
		if (encoding != PayloadEncoding.UTF8) {
			return event(EVENT_FRAME, id, encoding.encode(payload).getBytes(StandardCharsets.US_ASCII));
		}
		int lineFeeds = 0;
		boolean ascii = true;
		for (byte b : payload) {
			if (b == '\n') {
				lineFeeds++;
			}
			else if (b == '\r') {
				return event(EVENT_FRAME_BASE64, id, Base64.getEncoder().encode(payload));
			}
			else if (b < 0) {
				ascii = false;
			}
		}
		if (!ascii && PayloadEncoding.utf8OrNull(payload) == null) {
			return event(EVENT_FRAME_BASE64, id, Base64.getEncoder().encode(payload));
		}
		return event(EVENT_FRAME, id, payload, lineFeeds);
	}

	private static byte[] event(String event, byte[] data) {
		return event(("event: " + event + "\n").getBytes(StandardCharsets.US_ASCII), null, data);
	}

	private static byte[] event(byte[] eventLine, IdLine id, byte[] data) {
		int lineFeeds = 0;
		for (byte b : data) {
			if (b == '\n') {
				lineFeeds++;
			}
		}
		return event(eventLine, id, data, lineFeeds);
	}

	/**
	 * One event, in an array of its exact size; a line feed in the data starts a new
	 * {@code data:} line, which clients join back.
	 */
	private static byte[] event(byte[] eventLine, IdLine id, byte[] data, int lineFeeds) {
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
	private static IdLine idLine(Frame frame) {
		RunPrefix prefix = runPrefix;
		if (prefix == null || !prefix.run().equals(frame.run())) {
			prefix = new RunPrefix(frame.run(), ("id: " + frame.run() + "-").getBytes(StandardCharsets.US_ASCII));
			runPrefix = prefix;
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

	@Override
	public void close(String reason) {
		this.emitter.complete();
	}

	@Override
	public Transport transport() {
		return Transport.SSE;
	}

	@Override
	public String toString() {
		return "SSE subscriber " + this.client;
	}

	private record RunPrefix(String run, byte[] bytes) {
	}

	/**
	 * Events already rendered, shared with other subscribers, written as one block by
	 * {@link EventsConverter}.
	 * @param size their bytes in all
	 */
	record Events(byte[][] events, int size) {
	}

	/**
	 * Writes {@link Events} to a stream's response in one write, without flushing: the
	 * emitter flushes once after a batch (Spring's byte array converter flushes after every
	 * array). The events are joined in a buffer that the writing thread keeps, since they are
	 * shared and a write per event would cut a busy stream into pieces of the response
	 * buffer's size: a busy stream is then one write per batch, and allocates nothing for it.
	 */
	static final class EventsConverter implements HttpMessageConverter<Events> {

		/** The most a thread keeps for joining; a larger batch is written in blocks of this size. */
		static final int MAX_BLOCK_BYTES = 64 * 1024;

		private static final ThreadLocal<byte[]> blocks = ThreadLocal.withInitial(() -> new byte[RESPONSE_BUFFER_BYTES]);

		@Override
		public boolean canRead(Class<?> type, @Nullable MediaType mediaType) {
			return false;
		}

		@Override
		public boolean canWrite(Class<?> type, @Nullable MediaType mediaType) {
			return type == Events.class;
		}

		@Override
		public List<MediaType> getSupportedMediaTypes() {
			return List.of(MediaType.TEXT_EVENT_STREAM);
		}

		@Override
		public Events read(Class<? extends Events> type, HttpInputMessage input) {
			throw new UnsupportedOperationException("events are only written");
		}

		@Override
		public void write(Events events, @Nullable MediaType contentType, HttpOutputMessage output) throws IOException {
			OutputStream body = output.getBody();
			byte[] block = blockFor(events.size());
			int filled = 0;
			for (byte[] event : events.events()) {
				int at = 0;
				while (at < event.length) {
					if (filled == block.length) {
						body.write(block, 0, filled);
						filled = 0;
					}
					int part = Math.min(event.length - at, block.length - filled);
					System.arraycopy(event, at, block, filled, part);
					filled += part;
					at += part;
				}
			}
			body.write(block, 0, filled);
		}

		/** This thread's block, grown to hold {@code size} bytes as far as the limit allows. */
		private static byte[] blockFor(int size) {
			byte[] block = blocks.get();
			if (block.length < size && block.length < MAX_BLOCK_BYTES) {
				block = new byte[Math.min(Math.max(size, block.length * 2), MAX_BLOCK_BYTES)];
				blocks.set(block);
			}
			return block;
		}

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
