package io.tcpbridge.web.sse;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;

import io.tcpbridge.stream.StreamItem;
import io.tcpbridge.stream.Subscriber;
import io.tcpbridge.stream.SubscriberSink;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.ee11.servlet.HttpOutput;
import org.eclipse.jetty.ee11.servlet.ServletChannel;
import org.eclipse.jetty.ee11.servlet.ServletContextRequest;
import org.eclipse.jetty.io.ByteBufferPool;
import org.eclipse.jetty.io.RetainableByteBuffer;
import org.jspecify.annotations.Nullable;

/**
 * One Server-Sent Events stream, written with the Servlet API's non-blocking output: a
 * write goes out only while the response {@link HttpOutput#isReady() is ready},
 * and what the socket cannot take yet waits for {@link #onWritePossible()}, on the server's
 * thread, with no thread held meanwhile.
 *
 * <p>A write is cut into parts of at most {@value #MAX_PART_BYTES} bytes: an event alone
 * goes out as the shared bytes it is, several are joined in a buffer from the server's pool,
 * which goes back to the pool once the socket has taken it. Each part taken tells the
 * subscriber that its socket is moving. Parts go to the server's own output as buffers,
 * which it writes as they are rather than copying them into a response buffer: a stream
 * holds no buffer of its own between writes, which for ten thousand streams would be 40 MB
 * (the server's pool gives at least 4 KB), and the server finds a free buffer in its pool
 * as quickly as when there are few streams. The server's own idle timeout is off for the
 * stream's connection: the subscriber's stall timeout decides when a client that does not
 * read is dropped.
 */
final class SseStream implements SubscriberSink, WriteListener, AsyncListener {

	private static final Log logger = LogFactory.getLog(SseStream.class);

	/** The most one part of a write holds, unless a single event is larger. */
	static final int MAX_PART_BYTES = 64 * 1024;

	/**
	 * The response's buffer size, which is never allocated, since parts bypass it: the
	 * server cuts a heap buffer at least this large (a single large event) into pieces of this size.
	 */
	static final int RESPONSE_BUFFER_BYTES = MAX_PART_BYTES + 1;

	private final HttpServletRequest request;

	private final StreamItem.Visitor<byte[]> events;

	private final String client;

	private final ByteBufferPool pool;

	private final ServletChannel channel;

	private @Nullable Subscriber subscriber;

	// guarded by this: the response, once open, and the write under way
	private @Nullable AsyncContext async;

	private @Nullable HttpOutput out;

	private @Nullable Iterator<StreamItem> items;

	private @Nullable Progress progress;

	private byte @Nullable [] nextEvent;

	private final List<byte[]> part = new ArrayList<>();

	private @Nullable RetainableByteBuffer joined;

	/** A part was handed to the response: once it is ready again, the socket has taken it. */
	private boolean partWritten;

	private boolean closed;

	/** The server's idle timeout for the connection, given back when the stream ends and the connection lives on. */
	private long serverIdleTimeout;

	SseStream(HttpServletRequest request, StreamItem.Visitor<byte[]> events) {
		this.request = request;
		this.events = events;
		this.client = request.getRemoteAddr() + ":" + request.getRemotePort();
		ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
		this.pool = jetty.getComponents().getByteBufferPool();
		this.channel = jetty.getServletChannel();
	}

	/**
	 * Starts the response, once the stream has its subscriber: what was written before goes
	 * out now.
	 */
	synchronized void open(Subscriber subscriber) {
		this.subscriber = subscriber;
		AsyncContext context = this.request.startAsync();
		context.setTimeout(0);
		context.addListener(this);
		this.async = context;
		this.serverIdleTimeout = this.channel.getEndPoint().getIdleTimeout();
		this.channel.getEndPoint().setIdleTimeout(0);
		HttpOutput stream = this.channel.getHttpOutput();
		this.out = stream;
		// the server calls onWritePossible once now, and then whenever a part it could not take is gone
		stream.setWriteListener(this);
	}

	@Override
	public synchronized void write(Collection<StreamItem> batch, Progress done) {
		this.items = batch.iterator();
		this.progress = done;
		if (this.out != null) {
			pump();
		}
	}

	@Override
	public synchronized void onWritePossible() {
		pump();
	}

	/** Writes parts while the response takes them; returns when it cannot, or when all is written. */
	private void pump() {
		HttpOutput stream = this.out;
		try {
			while (this.progress != null && !this.closed && stream.isReady()) {
				boolean partTaken = this.partWritten;
				this.partWritten = false;
				releaseJoined();
				ByteBuffer next = nextPart();
				if (next != null) {
					if (partTaken) {
						this.progress.advanced();
					}
					this.partWritten = true;
					// the server writes a buffer as it is: nothing to flush after it
					stream.write(next);
				}
				else {
					Progress done = this.progress;
					this.progress = null;
					this.items = null;
					done.written();
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			fail(ex);
		}
	}

	/** The next part of the write, or {@code null} when every event has gone out. */
	private @Nullable ByteBuffer nextPart() {
		int size = 0;
		while (size < MAX_PART_BYTES) {
			byte[] event = this.nextEvent;
			if (event == null) {
				if (!this.items.hasNext()) {
					break;
				}
				event = this.items.next().accept(this.events);
			}
			if (size > 0 && size + event.length > MAX_PART_BYTES) {
				this.nextEvent = event;
				break;
			}
			this.nextEvent = null;
			this.part.add(event);
			size += event.length;
		}
		if (this.part.isEmpty()) {
			return null;
		}
		if (this.part.size() == 1) {
			// shared and never changed: written as it is
			byte[] only = this.part.get(0);
			this.part.clear();
			return ByteBuffer.wrap(only);
		}
		RetainableByteBuffer.Mutable buffer = this.pool.acquire(size, true).asMutable();
		for (byte[] event : this.part) {
			buffer.put(event);
		}
		this.part.clear();
		this.joined = buffer;
		return buffer.getByteBuffer();
	}

	/** Gives back the buffer of the part the response has taken or failed, if there was one. */
	private void releaseJoined() {
		RetainableByteBuffer buffer = this.joined;
		if (buffer != null) {
			this.joined = null;
			buffer.release();
		}
	}

	@Override
	public synchronized void onError(Throwable failure) {
		fail(failure);
	}

	private void fail(Throwable failure) {
		// the server is done with the buffer of a write that failed
		releaseJoined();
		this.nextEvent = null;
		this.part.clear();
		Progress done = this.progress;
		this.progress = null;
		this.items = null;
		if (done != null) {
			// the subscriber leaves, and aborts this stream
			done.failed(failure);
		}
		else {
			if (this.subscriber != null) {
				this.subscriber.cancel();
			}
			complete();
		}
	}

	@Override
	public synchronized void close(String reason) {
		if (!this.closed && this.async != null) {
			this.channel.getEndPoint().setIdleTimeout(this.serverIdleTimeout);
			complete();
		}
	}

	@Override
	public void abort(String reason) {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
		}
		// outside the lock: the server fails the write under way, and tells onError
		this.channel.abort(new IOException("closed by the bridge: " + reason));
		complete();
	}

	/**
	 * Ends the request, once the stream is closed or its connection failed or was dropped:
	 * until it is completed the server counts it as active, keeps it, and makes a graceful
	 * shutdown wait for it.
	 */
	private void complete() {
		AsyncContext context;
		synchronized (this) {
			this.closed = true;
			context = this.async;
		}
		if (context != null) {
			try {
				context.complete();
			}
			catch (IllegalStateException ex) {
				// completed already
			}
		}
	}

	@Override
	public void onComplete(AsyncEvent event) {
		ended();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		ended();
	}

	@Override
	public void onError(AsyncEvent event) {
		logger.debug(this + " failed: " + event.getThrowable());
		ended();
		complete();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
		// the stream is started once
	}

	/** The response is over, however it ended: the server is done with every part, and the subscriber goes. */
	private void ended() {
		synchronized (this) {
			releaseJoined();
		}
		Subscriber owner = this.subscriber;
		if (owner != null) {
			owner.cancel();
		}
	}

	@Override
	public Transport transport() {
		return Transport.SSE;
	}

	@Override
	public String client() {
		return this.client;
	}

	@Override
	public String toString() {
		return "SSE subscriber " + this.client;
	}

}
