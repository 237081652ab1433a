package io.tcpbridge.reply;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;

import io.tcpbridge.stream.Frame;

/**
 * Replies that carry their request's key, in any order: each frame goes to the request
 * with its key, and a frame whose key no request waits for (or that has none) is only
 * published. Up to {@code max-in-flight} requests wait at once, each with a key of its
 * own; a request that stopped waiting keeps its key for a grace period, so that a late
 * reply is not taken by a new request with the same key.
 */
final class KeyMatcher implements ReplyMatcher {

	private final ReplyKey key;

	private final Semaphore places;

	private final int max;

	private final Runnable lateReply;

	private final Map<String, Exchange> waiting = new ConcurrentHashMap<>();

	private final Object writing = new Object();

	KeyMatcher(ReplyKey key, int max, Runnable lateReply) {
		this.key = key;
		this.places = new Semaphore(max);
		this.max = max;
		this.lateReply = lateReply;
	}

	@Override
	public Exchange begin(byte[] request, ReplyShape shape, long deadline, Consumer<byte[]> write) {
		String requestKey = this.key.of(request);
		if (requestKey == null) {
			throw new BadReplyRequestException(this.key.missing(request));
		}
		if (!this.places.tryAcquire()) {
			throw new TooManyInFlightException(this.max);
		}
		Exchange exchange = new Exchange(shape.collector(), requestKey);
		if (this.waiting.putIfAbsent(requestKey, exchange) != null) {
			this.places.release();
			throw new KeyInFlightException(requestKey);
		}
		// one write at a time: the link's socket takes them so, and one lock taken in turn costs
		// less than the link's own, each contended by every request at once
		synchronized (this.writing) {
			return write(exchange, request, write);
		}
	}

	@Override
	public void received(Frame frame) {
		if (this.waiting.isEmpty()) {
			return;
		}
		String frameKey = this.key.of(frame.payload());
		Exchange exchange = (frameKey != null) ? this.waiting.get(frameKey) : null;
		if (exchange != null && exchange.collector.add(frame)) {
			leave(exchange);
			if (!exchange.complete()) {
				this.lateReply.run();
			}
		}
	}

	@Override
	public void reset(RuntimeException cause) {
		for (Exchange exchange : this.waiting.values()) {
			if (leave(exchange)) {
				exchange.fail(cause);
			}
		}
	}

	@Override
	public int inFlight() {
		return this.waiting.size();
	}

	@Override
	public void forget(Exchange exchange) {
		leave(exchange);
	}

	private boolean leave(Exchange exchange) {
		if (this.waiting.remove(exchange.key, exchange)) {
			this.places.release();
			return true;
		}
		return false;
	}

}
