package io.tcpbridge.stream;

import java.util.Collection;

/**
 * Where one subscriber's items are written: an SSE response, a WebSocket session. Its
 * writes never wait for the client: a write starts, returns, and tells its {@link Progress}
 * when the client's socket has taken it, which may be at once or much later. Called by one
 * delivery thread at a time, never by the thread that reads the upstream, and never while
 * a write of its own is under way.
 */
public interface SubscriberSink {

	/**
	 * Starts writing everything that waited for this subscriber, in order, and returns
	 * without waiting for the client.
	 * @param items the frames and notices to write, the sink's to read until it tells
	 * {@code progress} that the write is done or failed
	 * @param progress told of each part the socket took, then once that all of it was
	 * taken, or that the write failed; perhaps before this method returns
	 */
	void write(Collection<StreamItem> items, Progress progress);

	/** Ends the stream from the server's side, after what was written; {@code reason} is for the client. */
	void close(String reason);

	/**
	 * Drops the connection at once, for a client that stopped reading and so cannot be
	 * told goodbye; a write under way fails.
	 */
	void abort(String reason);

	/** SSE or WebSocket, for counting. */
	Transport transport();

	/** The client's address, for the log. */
	String client();

	/** What a write tells of itself; each method is called on whichever thread saw it happen. */
	interface Progress {

		/** The socket took part of the write, and more is to come. */
		void advanced();

		/** The socket took all of it. */
		void written();

		/** The write cannot complete: the client is gone, or the connection was aborted. */
		void failed(Throwable cause);

	}

	/** How subscribers are connected. */
	enum Transport {

		SSE, WEBSOCKET;

		public String tag() {
			return (this == SSE) ? "sse" : "websocket";
		}

	}

}
