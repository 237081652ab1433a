package io.tcpbridge.stream;

/**
 * What a subscriber's stream carries, in order: the frames from the upstream and the
 * notices about them. A transport takes an item apart with a {@link Visitor}, so that one
 * that forgets a kind of item does not compile.
 */
public sealed interface StreamItem permits Frame, Notice {

	/** Calls the visitor's method for this kind of item. */
	<R> R accept(Visitor<R> visitor);

	/**
	 * One method per kind of item; a transport turns each into what its protocol sends.
	 * @param <R> what an item becomes: an SSE event's bytes, a WebSocket frame
	 */
	interface Visitor<R> {

		R frame(Frame frame);

		R connection(Notice.Connection connection);

		R gap(Notice.Gap gap);

		R heartbeat();

	}

}
