package io.tcpbridge.web;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.StreamItem;
import io.tcpbridge.stream.SubscriberSink;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.OpCode;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * One WebSocket subscriber: each frame is one message. A write hands every message to the
 * server's frame flusher, batched, then flushes, and is done when the flush is: nothing
 * waits for the client. This goes through the server's own session, since the standard
 * API's ping and flush block until the client has taken them.
 *
 * <p>In binary mode (the default) frames are binary messages, and the link's state changes
 * and gaps come as text messages holding JSON ({@code {"event": "connection", ...}},
 * {@code {"event": "gap", ...}}), told apart by their type. In text mode
 * ({@code ?encoding=utf8}) frames are text messages, a frame that is not valid UTF-8 is a
 * binary message, and there are no notices. Keep-alives are WebSocket pings.
 *
 * <p>A write is flushed every {@value #MAX_PART_BYTES} bytes of payload, and each flush
 * done tells the subscriber that its socket is moving.
 */
final class WebSocketSink implements SubscriberSink {

	/** How much payload goes between two flushes of one write. */
	static final int MAX_PART_BYTES = 64 * 1024;

	private final WebSocketSession session;

	private final ObjectMapper json;

	private final Messages messages;

	private volatile CloseStatus closeStatus = CloseStatus.GOING_AWAY;

	WebSocketSink(WebSocketSession session, boolean textMode, ObjectMapper json) {
		this.session = session;
		this.json = json;
		this.messages = new Messages(textMode);
	}

	private CoreSession core() {
		return ((NativeWebSocketSession) this.session).getNativeSession(JakartaWebSocketSession.class).getCoreSession();
	}

	@Override
	public void write(Collection<StreamItem> items, Progress progress) {
		CoreSession core = core();
		int sinceFlush = 0;
		for (StreamItem item : items) {
			org.eclipse.jetty.websocket.core.Frame message = item.accept(this.messages);
			if (message == null) {
				continue;
			}
			core.sendFrame(message, Callback.NOOP, true);
			sinceFlush += message.getPayloadLength();
			if (sinceFlush >= MAX_PART_BYTES) {
				core.flush(Callback.from(progress::advanced, progress::failed));
				sinceFlush = 0;
			}
		}
		// the flusher writes in order: when this flush is done, so is every message before it
		core.flush(Callback.from(progress::written, progress::failed));
	}

	private String notice(String event, Object notice) {
		Map<Object, Object> fields = new LinkedHashMap<>();
		fields.put("event", event);
		fields.putAll(this.json.convertValue(notice, Map.class));
		return this.json.writeValueAsString(fields);
	}

	/** The status the next {@link #close} sends. */
	void closeWith(CloseStatus status) {
		this.closeStatus = status;
	}

	@Override
	public void close(String reason) {
		core().close(this.closeStatus.getCode(), truncate(reason), Callback.NOOP);
	}

	@Override
	public void abort(String reason) {
		core().abort();
	}

	/** A close reason may hold at most 123 bytes of UTF-8. */
	private static String truncate(String reason) {
		return (reason.length() <= 120) ? reason : reason.substring(0, 117) + "...";
	}

	@Override
	public Transport transport() {
		return Transport.WEBSOCKET;
	}

	@Override
	public String client() {
		return String.valueOf(this.session.getRemoteAddress());
	}

	@Override
	public String toString() {
		return "WebSocket subscriber " + client();
	}

	/** Each item as the WebSocket frame it travels in, or {@code null} for nothing. */
	private final class Messages implements StreamItem.Visitor<org.eclipse.jetty.websocket.core.@Nullable Frame> {

		private final boolean textMode;

		Messages(boolean textMode) {
			this.textMode = textMode;
		}

		@Override
		public org.eclipse.jetty.websocket.core.Frame frame(Frame frame) {
			byte[] payload = frame.payload();
			boolean text = this.textMode && PayloadEncoding.utf8OrNull(payload) != null;
			return new org.eclipse.jetty.websocket.core.Frame(text ? OpCode.TEXT : OpCode.BINARY,
					ByteBuffer.wrap(payload));
		}

		@Override
		public org.eclipse.jetty.websocket.core.@Nullable Frame connection(Notice.Connection connection) {
			return this.textMode ? null
					: new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, notice("connection", connection));
		}

		@Override
		public org.eclipse.jetty.websocket.core.@Nullable Frame gap(Notice.Gap gap) {
			return this.textMode ? null : new org.eclipse.jetty.websocket.core.Frame(OpCode.TEXT, notice("gap", gap));
		}

		@Override
		public org.eclipse.jetty.websocket.core.Frame heartbeat() {
			return new org.eclipse.jetty.websocket.core.Frame(OpCode.PING);
		}

	}

}
