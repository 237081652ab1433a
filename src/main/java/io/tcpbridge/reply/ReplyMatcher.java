package io.tcpbridge.reply;

import java.util.function.Consumer;

import io.tcpbridge.stream.Frame;

/**
 * Which request a frame from the upstream answers: {@link InOrderMatcher} for serial and
 * fifo correlation, {@link KeyMatcher} for key. Frames come on the thread that reads the
 * upstream, one after another, after the hub has numbered and published them; requests
 * come on the threads of the HTTP requests.
 */
sealed interface ReplyMatcher permits InOrderMatcher, KeyMatcher {

	/**
	 * Admits a request, makes a place for its reply, and writes it with {@code write}: a
	 * reply that comes before the write returns finds its place.
	 * @param deadline when the request stops waiting, from {@link System#nanoTime()}
	 * @throws TooManyInFlightException when as many requests wait as may
	 * @throws KeyInFlightException when a request with the same key waits
	 * @throws BadReplyRequestException when the request holds no key
	 * @throws java.util.concurrent.TimeoutException when the request's turn did not come in time
	 */
	Exchange begin(byte[] request, ReplyShape shape, long deadline, Consumer<byte[]> write)
			throws java.util.concurrent.TimeoutException, InterruptedException;

	/** Writes the request of an exchange that has its place; a write that fails gives the place up. */
	default Exchange write(Exchange exchange, byte[] request, Consumer<byte[]> write) {
		try {
			write.accept(request);
		}
		catch (RuntimeException ex) {
			forget(exchange);
			throw ex;
		}
		return exchange;
	}

	/** A frame came: the next of a waiting reply, or one no request waits for. */
	void received(Frame frame);

	/**
	 * A late exchange's grace is over: its place goes, and a reply that still comes is one
	 * no request waits for. Until then a late exchange keeps its place, so that its reply is
	 * not taken for another's.
	 */
	void forget(Exchange exchange);

	/** The connection is gone, and no reply will come on it: every waiting request gets {@code cause}. */
	void reset(RuntimeException cause);

	/** Requests written and waiting for their replies, late ones included. */
	int inFlight();

}
