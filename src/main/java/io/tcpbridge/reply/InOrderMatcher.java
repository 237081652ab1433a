package io.tcpbridge.reply;

import java.util.ArrayDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import io.tcpbridge.stream.Frame;

/**
 * Replies in the order of their requests, for upstreams that answer every request in turn
 * and send nothing unasked: the frames that come are the reply of the oldest request
 * waiting, until its reply is whole, then of the next. {@code serial} is one request at a
 * time, and a request waits for its turn; {@code fifo} lets up to {@code max-in-flight}
 * wait at once, and refuses one more.
 *
 * <p>A request that stopped waiting keeps its place for a grace period: its reply, if it
 * comes late, is still its own (counted late), not the next request's. After the grace
 * period it is given up.
 */
final class InOrderMatcher implements ReplyMatcher {

	private final Semaphore places;

	private final int max;

	private final boolean waitForTurn;

	private final Runnable lateReply;

	/** Writes and their places in line, in the same order. */
	private final Object writing = new Object();

	/** Guarded by itself; never held while writing, so that the reading thread never waits for the upstream. */
	private final ArrayDeque<Exchange> line = new ArrayDeque<>();

	private volatile int waiting;

	/**
	 * @param max the most requests that wait at once
	 * @param waitForTurn whether one more waits for a place (serial) or is refused (fifo)
	 * @param lateReply told of each reply that came after its request stopped waiting
	 */
	InOrderMatcher(int max, boolean waitForTurn, Runnable lateReply) {
		this.places = new Semaphore(max, true);
		this.max = max;
		this.waitForTurn = waitForTurn;
		this.lateReply = lateReply;
	}

	@Override
	public Exchange begin(byte[] request, ReplyShape shape, long deadline, Consumer<byte[]> write)
			throws TimeoutException, InterruptedException {
		if (this.waitForTurn) {
			if (!this.places.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
				throw new TimeoutException("an earlier request still waited for its reply");
			}
		}
		else if (!this.places.tryAcquire()) {
			throw new TooManyInFlightException(this.max);
		}
		Exchange exchange = new Exchange(shape.collector(), null);
		synchronized (this.writing) {
			synchronized (this.line) {
				this.line.add(exchange);
				this.waiting++;
			}
			return write(exchange, request, write);
		}
	}

	@Override
	public void received(Frame frame) {
		if (this.waiting == 0) {
			return;
		}
		synchronized (this.line) {
			Exchange oldest = this.line.peek();
			if (oldest != null && oldest.collector.add(frame)) {
				this.line.poll();
				this.waiting--;
				this.places.release();
				if (!oldest.complete()) {
					this.lateReply.run();
				}
			}
		}
	}

	@Override
	public void reset(RuntimeException cause) {
		synchronized (this.line) {
			for (Exchange exchange : this.line) {
				exchange.fail(cause);
				this.places.release();
			}
			this.line.clear();
			this.waiting = 0;
		}
	}

	@Override
	public int inFlight() {
		return this.waiting;
	}

	/** Gives up the exchange's place, if it still has one. */
	@Override
	public void forget(Exchange exchange) {
		synchronized (this.line) {
			if (this.line.remove(exchange)) {
				this.waiting--;
				this.places.release();
			}
		}
	}

}
