package io.tcpbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.SubscriberSink;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.MediaType;
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
 * bytes in base64, never altered.
 */
final class SseSink implements SubscriberSink {

	static final String FRAME = "frame";

	static final String FRAME_BASE64 = "frame-base64";

	private static final MediaType TEXT_UTF8 = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private final SseEmitter emitter;

	private final PayloadEncoding encoding;

	private final ObjectMapper json;

	private final String client;

	SseSink(SseEmitter emitter, PayloadEncoding encoding, ObjectMapper json, String client) {
		this.emitter = emitter;
		this.encoding = encoding;
		this.json = json;
		this.client = client;
	}

	@Override
	public void write(List<Object> items) throws IOException {
		StringBuilder text = new StringBuilder(64 * items.size());
		for (Object item : items) {
			if (item instanceof Frame frame) {
				appendFrame(text, frame);
			}
			else if (item instanceof Notice.Heartbeat) {
				text.append(": keep-alive\n\n");
			}
			else if (item instanceof Notice.Connection connection) {
				appendEvent(text, "connection", null, this.json.writeValueAsString(connection));
			}
			else if (item instanceof Notice.Gap gap) {
				appendEvent(text, "gap", null, this.json.writeValueAsString(gap));
			}
		}
		this.emitter.send(Set.of(new DataWithMediaType(text.toString(), TEXT_UTF8)));
	}

	private void appendFrame(StringBuilder text, Frame frame) {
		if (this.encoding != PayloadEncoding.UTF8) {
			appendEvent(text, FRAME, frame.id(), this.encoding.encode(frame.payload()));
			return;
		}
		String utf8 = PayloadEncoding.utf8OrNull(frame.payload());
		if (utf8 == null || utf8.indexOf('\r') >= 0) {
			appendEvent(text, FRAME_BASE64, frame.id(), Base64.getEncoder().encodeToString(frame.payload()));
		}
		else {
			appendEvent(text, FRAME, frame.id(), utf8);
		}
	}

	/** One event; a line feed in the data becomes a new {@code data:} line, which clients join back. */
	private static void appendEvent(StringBuilder text, String event, String id, String data) {
		text.append("event: ").append(event).append('\n');
		if (id != null) {
			text.append("id: ").append(id).append('\n');
		}
		int start = 0;
		int end;
		while ((end = data.indexOf('\n', start)) >= 0) {
			text.append("data: ").append(data, start, end).append('\n');
			start = end + 1;
		}
		text.append("data: ").append(data, start, data.length()).append("\n\n");
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

}
