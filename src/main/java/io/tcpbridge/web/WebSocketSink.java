package io.tcpbridge.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
 * One WebSocket subscriber: each frame is one message; a batch of them is queued without
 * waiting, flushed once, and waited for once.
 *
 * <p>In binary mode (the default) frames are binary messages, and the link's state changes
 * and gaps come as text messages holding JSON ({@code {"event": "connection", ...}},
 * {@code {"event": "gap", ...}}), told apart by their type. In text mode
 * ({@code ?encoding=utf8}) frames are text messages, a frame that is not valid UTF-8 is a
 * binary message, and there are no notices. Keep-alives are WebSocket pings.
 */
final class WebSocketSink implements SubscriberSink {

	private static final Log logger = LogFactory.getLog(WebSocketSink.class);

	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(60);

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
	public void write(Collection<Object> items) throws IOException {
		jakarta.websocket.Session nativeSession = ((NativeWebSocketSession) this.session)
			.getNativeSession(jakarta.websocket.Session.class);
		RemoteEndpoint.Async remote = nativeSession.getAsyncRemote();
		remote.setBatchingAllowed(true);
		Future<Void> last = null;
		for (Object item : items) {
			if (item instanceof Frame frame) {
				String text = this.textMode ? PayloadEncoding.utf8OrNull(frame.payload()) : null;
				last = (text != null) ? remote.sendText(text) : remote.sendBinary(ByteBuffer.wrap(frame.payload()));
			}
			else if (item instanceof Notice.Heartbeat) {
				remote.sendPing(ByteBuffer.allocate(0));
			}
			else if (!this.textMode && item instanceof Notice.Connection connection) {
				last = remote.sendText(notice("connection", this.json.convertValue(connection, Map.class)));
			}
			else if (!this.textMode && item instanceof Notice.Gap gap) {
				last = remote.sendText(notice("gap", this.json.convertValue(gap, Map.class)));
			}
		}
		remote.flushBatch();
		if (last != null) {
			awaitWritten(last);
		}
	}

	/**
	 * Waits until the last message of a write has gone out (those before it went first), so
	 * that a subscriber that does not read holds back only itself. The server's idle timeout
	 * fails a write that makes no progress; this bound is for the case it does not.
	 */
	private static void awaitWritten(Future<Void> last) throws IOException {
		try {
			last.get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IOException("the write failed: " + ex.getCause().getMessage(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IOException("nothing was written for " + WRITE_TIMEOUT.toSeconds() + " s", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while writing", ex);
		}
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
