package io.tcpbridge.stream;

import java.io.IOException;
import java.util.Collection;

/**
 * Where one subscriber's frames are written: an SSE response, a WebSocket session. Called
 * by one delivery thread at a time, never by the thread that reads the upstream.
 */
public interface SubscriberSink {

	/**
	 * Writes everything that waited for this subscriber, in order, at once: frames and
	 * notices. A failure ends the subscription.
	 * @param items {@link Frame}s and {@link Notice}s, in a collection that is emptied and
	 * filled again once this returns: what is needed later must be taken out of it now
	 */
	void write(Collection<Object> items) throws IOException;

	/** Ends the stream from the server's side; {@code reason} says why, for the log and the client. */
	void close(String reason);

	/** SSE or WebSocket, for counting. */
	Transport transport();

	/** How subscribers are connected. */
	enum Transport {

		SSE, WEBSOCKET;

		public String tag() {
			return (this == SSE) ? "sse" : "websocket";
		}

	}

}
