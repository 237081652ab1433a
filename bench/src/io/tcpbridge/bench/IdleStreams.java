package io.tcpbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many idle subscribers of one streaming GET: like a dashboard that is open and not looked
 * at, each reads what it is sent and does nothing with it. One thread reads them all.
 * (Subscribers that did not read at all would fill their sockets within a minute or two, and
 * the bridge would then be measured with thousands of stalled clients, not idle ones.)
 */
final class IdleStreams implements AutoCloseable {

	private final Selector selector = Selector.open();

	private final AtomicLong bytesRead = new AtomicLong();

	private final Thread reader = new Thread(this::readAll, "idle-streams");

	private static final int STREAMS_PER_ADDRESS = 10_000;

	private int opened;

	private volatile boolean closed;

	IdleStreams() throws IOException {
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Opens one more: sends the request, and from then on reads and drops whatever comes.
	 * Each ten thousand come from an address of their own, 127.0.0.2, 127.0.0.3, ...: one
	 * source address has some 28,000 ephemeral ports.
	 */
	void open(int port, String path, String accept) throws IOException {
		int source = 2 + this.opened++ / STREAMS_PER_ADDRESS;
		SocketChannel channel = SocketChannel.open();
		channel.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] { 127, 0, 0, (byte) source }), 0));
		channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
		channel.configureBlocking(false);
		// taken in by the next select (registering does not wait for one under way)
		channel.register(this.selector, SelectionKey.OP_READ);
		this.selector.wakeup();
	}

	/** What they were sent in all, so that a run can tell they were not silent. */
	long bytesRead() {
		return this.bytesRead.get();
	}

	private void readAll() {
		ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
		try {
			while (!this.closed) {
				this.selector.select(100);
				Iterator<SelectionKey> ready = this.selector.selectedKeys().iterator();
				while (ready.hasNext()) {
					SelectionKey key = ready.next();
					ready.remove();
					SocketChannel channel = (SocketChannel) key.channel();
					int n;
					try {
						while ((n = channel.read(buffer.clear())) > 0) {
							this.bytesRead.addAndGet(n);
						}
					}
					catch (IOException ex) {
						n = -1;
					}
					if (n < 0) {
						key.cancel();
						channel.close();
					}
				}
			}
		}
		catch (IOException ex) {
			if (!this.closed) {
				throw new IllegalStateException("The idle streams' reader failed", ex);
			}
		}
	}

	@Override
	public void close() throws IOException, InterruptedException {
		this.closed = true;
		this.selector.wakeup();
		this.reader.join(5000);
		for (SelectionKey key : this.selector.keys()) {
			key.channel().close();
		}
		this.selector.close();
	}

}
