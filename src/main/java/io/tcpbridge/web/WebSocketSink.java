package io.tcpbridge.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.Notice;
import io.tcpbridge.stream.SubscriberSink;
import jakarta.websocket.RemoteEndpoint;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.databind.ObjectMapper;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.WebSocketSession;

/**
 * One WebSocket subscriber: each frame is one message, written in batches and flushed once
 * per batch.
 *
 * <p>In binary mode (the default) frames are binary messages, and the link's state changes
 * and gaps come as text messages holding JSON ({@code {"event": "connection", ...}},
 * {@code {"event": "gap", ...}}), told apart by their type. In text mode
 * ({@code ?encoding=utf8}) frames are text messages, a frame that is not valid UTF-8 is a
 * binary message, and there are no notices. Keep-alives are WebSocket pings.
 */
final class WebSocketSink implements SubscriberSink {

	private static final Log logger = LogFactory.getLog(WebSocketSink.class);

	private final WebSocketSession session;

	private final boolean textMode;

	private final ObjectMapper json;

	private volatile CloseStatus closeStatus = CloseStatus.GOING_AWAY;

	WebSocketSink(WebSocketSession session, boolean textMode, ObjectMapper json) {
		this.session = session;
		this.textMode = textMode;
		this.json = json;
	}

	@Override
	public void write(List<Object> items) throws IOException {
		jakarta.websocket.Session nativeSession = ((NativeWebSocketSession) this.session)
			.getNativeSession(jakarta.websocket.Session.class);
		RemoteEndpoint.Basic remote = nativeSession.getBasicRemote();
		remote.setBatchingAllowed(true);
		for (Object item : items) {
			if (item instanceof Frame frame) {
				String text = this.textMode ? PayloadEncoding.utf8OrNull(frame.payload()) : null;
				if (text != null) {
					remote.sendText(text);
				}
				else {
					remote.sendBinary(ByteBuffer.wrap(frame.payload()));
				}
			}
			else if (item instanceof Notice.Heartbeat) {
				remote.sendPing(ByteBuffer.allocate(0));
			}
			else if (!this.textMode && item instanceof Notice.Connection connection) {
				remote.sendText(notice("connection", this.json.convertValue(connection, Map.class)));
			}
			else if (!this.textMode && item instanceof Notice.Gap gap) {
				remote.sendText(notice("gap", this.json.convertValue(gap, Map.class)));
			}
		}
		remote.flushBatch();
	}

	private String notice(String event, Map<?, ?> fields) {
		Map<Object, Object> notice = new LinkedHashMap<>();
		notice.put("event", event);
		notice.putAll(fields);
		return this.json.writeValueAsString(notice);
	}

	/** The status the next {@link #close} sends. */
	void closeWith(CloseStatus status) {
		this.closeStatus = status;
	}

	@Override
	public void close(String reason) {
		try {
			this.session.close(this.closeStatus.withReason(truncate(reason)));
		}
		catch (IOException ex) {
			logger.debug("Closing " + this + " failed: " + ex.getMessage());
		}
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
	public String toString() {
		return "WebSocket subscriber " + this.session.getRemoteAddress();
	}

}
