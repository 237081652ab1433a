package io.tcpbridge.web;

import java.nio.ByteBuffer;

import io.tcpbridge.framing.FrameRejectedException;
import io.tcpbridge.security.Access;
import io.tcpbridge.stream.CloseReason;
import io.tcpbridge.links.Link;
import io.tcpbridge.stream.Subscriber;
import io.tcpbridge.stream.StreamUnavailableException;
import io.tcpbridge.stream.TooManySubscribersException;
import io.tcpbridge.upstream.UpstreamUnavailableException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * {@code /links/{name}/ws}, and {@code /ws} for the default link: every frame from the
 * link's upstream as one WebSocket message, and every message from the client written
 * upstream as one frame. The handshake found the link ({@link #LINK}).
 *
 * <p>A message that cannot be written closes the session with a status that says why:
 * 1009 (too big) for a frame over the maximum, 1007 (bad data) for an empty frame or one
 * holding the framing's delimiter, 1013 (try again later) while the upstream is not
 * connected, 1008 (policy) for a session opened with a read token. A session over
 * {@code bridge.stream.max-subscribers} is closed at once with 1013. Closes go through the
 * subscriber, so that only its delivery thread writes.
 */
@Component
class StreamWebSocketHandler extends AbstractWebSocketHandler {

	static final String TEXT_MODE = "tcpbridge.textMode";

	/** The session's {@link Link}, put there by the handshake. */
	static final String LINK = "tcpbridge.link";

	private static final String SUBSCRIBER = "tcpbridge.subscriber";

	private static final String SINK = "tcpbridge.sink";

	private final ObjectMapper json;

	StreamWebSocketHandler(ObjectMapper json) {
		this.json = json;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		WebSocketSink sink = new WebSocketSink(session, Boolean.TRUE.equals(session.getAttributes().get(TEXT_MODE)),
				this.json);
		session.getAttributes().put(SINK, sink);
		try {
			session.getAttributes().put(SUBSCRIBER, link(session).hub().subscribe(sink, null));
		}
		catch (TooManySubscribersException ex) {
			sink.closeWith(CloseStatus.SERVICE_OVERLOAD);
			// never subscribed: no delivery thread writes to it
			sink.close("too many subscribers, try again later");
		}
		catch (StreamUnavailableException ex) {
			sink.closeWith(CloseStatus.SERVICE_RESTARTED);
			sink.close(ex.getMessage());
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		write(session, message.asBytes());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		ByteBuffer payload = message.getPayload();
		byte[] frame = new byte[payload.remaining()];
		payload.get(frame);
		write(session, frame);
	}

	private void write(WebSocketSession session, byte[] frame) {
		if (session.getAttributes().get(Access.ATTRIBUTE) == Access.READ) {
			close(session, CloseStatus.POLICY_VIOLATION, "a read token cannot send; use a write token");
			return;
		}
		if (frame.length == 0) {
			close(session, CloseStatus.BAD_DATA, "empty frame");
			return;
		}
		try {
			link(session).upstream().send(frame);
		}
		catch (FrameRejectedException ex) {
			close(session, (ex.reason() == FrameRejectedException.Reason.TOO_LARGE) ? CloseStatus.TOO_BIG_TO_PROCESS
					: CloseStatus.BAD_DATA, ex.getMessage());
		}
		catch (UpstreamUnavailableException ex) {
			close(session, CloseStatus.SERVICE_OVERLOAD, "upstream not connected (" + ex.status().state() + ")");
		}
	}

	private static Link link(WebSocketSession session) {
		return (Link) session.getAttributes().get(LINK);
	}

	private void close(WebSocketSession session, CloseStatus status, String reason) {
		((WebSocketSink) session.getAttributes().get(SINK)).closeWith(status);
		Subscriber subscriber = (Subscriber) session.getAttributes().get(SUBSCRIBER);
		if (subscriber != null) {
			subscriber.end(CloseReason.REJECTED_MESSAGE, reason);
		}
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		Object subscriber = session.getAttributes().get(SUBSCRIBER);
		if (subscriber != null) {
			((Subscriber) subscriber).cancel();
		}
	}

}
