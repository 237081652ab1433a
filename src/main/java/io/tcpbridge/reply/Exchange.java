package io.tcpbridge.reply;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tcpbridge.stream.Frame;
import org.jspecify.annotations.Nullable;

/**
 * One request and its reply: the collector that the reading thread fills, and the reply,
 * once whole, for the request's thread that waits for it. A request that stops waiting
 * leaves its exchange late: its reply, if it comes, is still its own, and is counted late.
 */
final class Exchange {

	final ReplyCollector collector;

	/** Its key, in key correlation. */
	final @Nullable String key;

	private final CompletableFuture<List<Frame>> reply = new CompletableFuture<>();

	Exchange(ReplyCollector collector, @Nullable String key) {
		this.collector = collector;
		this.key = key;
	}

	/**
	 * The reply is whole: hands it to the request.
	 * @return {@code false} when the request had stopped waiting, and the reply is late
	 */
	boolean complete() {
		return this.reply.complete(this.collector.frames());
	}

	/** The reply will not come: the request, if it still waits, gets {@code cause}. */
	void fail(RuntimeException cause) {
		this.reply.completeExceptionally(cause);
	}

	/**
	 * Waits for the reply until {@code deadline} ({@link System#nanoTime()}).
	 * @throws TimeoutException when it did not come in time; the exchange is then late
	 */
	List<Frame> await(long deadline) throws TimeoutException, InterruptedException {
		try {
			return this.reply.get(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException ex) {
			// the reply may have come in the meantime: then it is the request's after all
			if (this.reply.completeExceptionally(ex)) {
				throw ex;
			}
			return await(deadline);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof RuntimeException failure) {
				throw failure;
			}
			if (ex.getCause() instanceof TimeoutException timeout) {
				throw timeout;
			}
			throw new IllegalStateException("Waiting for the reply failed", ex.getCause());
		}
	}

}
