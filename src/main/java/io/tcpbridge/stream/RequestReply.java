package io.tcpbridge.stream;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

import io.tcpbridge.upstream.UpstreamLink;

import org.springframework.stereotype.Component;

/**
 * Request and reply over a link that has no correlation of its own: write a frame, then
 * take the next frame that arrives as its answer. One exchange at a time, first come first
 * served, so that no request takes another's reply. The reply is published to subscribers
 * as any other frame.
 */
@Component
public class RequestReply {

	private final ReentrantLock turn = new ReentrantLock(true);

	private final UpstreamLink link;

	private final FrameHub hub;

	RequestReply(UpstreamLink link, FrameHub hub) {
		this.link = link;
		this.hub = hub;
	}

	/**
	 * Writes the request and waits for the next frame.
	 * @throws TimeoutException when no frame arrived in time, the time spent waiting for
	 * earlier exchanges included
	 * @throws io.tcpbridge.upstream.UpstreamUnavailableException when the link is down
	 * @throws io.tcpbridge.framing.FrameRejectedException when the request cannot travel
	 */
	public Frame exchange(byte[] request, Duration timeout) throws TimeoutException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		if (!this.turn.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			throw new TimeoutException("earlier requests were still waiting for their replies");
		}
		try {
			CompletableFuture<Frame> reply = this.hub.nextFrame();
			try {
				this.link.send(request);
				return reply.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Waiting for the reply failed", ex.getCause());
			}
			finally {
				reply.cancel(false);
			}
		}
		finally {
			this.turn.unlock();
		}
	}

}
