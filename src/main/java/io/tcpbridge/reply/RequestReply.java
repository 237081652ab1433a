package io.tcpbridge.reply;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.stream.Frame;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import io.tcpbridge.upstream.UpstreamLink;

/**
 * Request and reply over a link that has no correlation of its own: write a frame, and
 * take its reply from the frames that come, as {@code bridge.reply.correlation} tells them
 * apart ({@link ReplyMatcher}) and as the request's {@link ReplyShape} ends them. Replies
 * are published to subscribers as any other frame. A reply that comes after its request
 * stopped waiting is counted ({@code bridge.replies.late}), never handed to another request.
 */
public class RequestReply {

	private final UpstreamLink link;

	private final ReplyMatcher matcher;

	private final ReplyShape defaultShape;

	public RequestReply(UpstreamLink link, FrameHub hub, ReplyProperties properties, MeterRegistry registry) {
		this.link = link;
		this.defaultShape = properties.defaultShape();
		Counter late = Counter.builder("bridge.replies.late")
			.description("Replies that came after their request stopped waiting; published, never handed to another request")
			.tag("link", link.name())
			.register(registry);
		this.matcher = switch (properties.correlation()) {
			case SERIAL -> new InOrderMatcher(1, true, late::increment);
			case FIFO -> new InOrderMatcher(properties.maxInFlight(), false, late::increment);
			case KEY -> new KeyMatcher(properties.replyKey(), properties.maxInFlight(), late::increment);
		};
		Gauge.builder("bridge.replies.in.flight", this.matcher, ReplyMatcher::inFlight)
			.description("Requests written and waiting for their replies, late ones included")
			.tag("link", link.name())
			.register(registry);
		hub.onPublished(this.matcher::received);
		link.onStateChanged(this::onLinkStateChanged);
	}

	/** The reply of a request that names neither {@code frames} nor {@code until}. */
	public ReplyShape defaultShape() {
		return this.defaultShape;
	}

	/**
	 * Writes the request and waits for its reply.
	 * @return the reply's frames, in order
	 * @throws TimeoutException when the reply was not whole in time, the wait for an earlier
	 * request's turn included
	 * @throws io.tcpbridge.upstream.UpstreamUnavailableException when the link is down
	 * @throws io.tcpbridge.framing.FrameRejectedException when the request cannot travel
	 * @throws TooManyInFlightException when as many requests wait as may (fifo, key)
	 * @throws KeyInFlightException when a request with the same key waits (key)
	 * @throws BadReplyRequestException when the request holds no key (key)
	 * @throws ReplyLostException when the connection ended before the reply came
	 */
	public List<Frame> exchange(byte[] request, ReplyShape shape, Duration timeout)
			throws TimeoutException, InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		Exchange exchange = this.matcher.begin(request, shape, deadline, this.link::send);
		try {
			return exchange.await(deadline);
		}
		catch (TimeoutException ex) {
			// a late reply is still this request's: it keeps its place for one more timeout
			CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
				.execute(() -> this.matcher.forget(exchange));
			throw ex;
		}
	}

	/** A connection that ended takes its replies with it. */
	private void onLinkStateChanged(LinkStateChangedEvent event) {
		if (event.state() != LinkState.CONNECTED) {
			this.matcher.reset(new ReplyLostException("The request was written, and the connection ended ("
					+ event.state() + ((event.reason() != null) ? ": " + event.reason() : "") + ") before its reply came"));
		}
	}

}
