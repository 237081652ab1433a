package io.tcpbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An upstream that writes numbered, timestamped lf frames as fast as it can for a bounded
 * time, to one client on 127.0.0.1. Each frame is {@code <seq> <System.nanoTime()> <padding>\n},
 * so a receiver on this host can tell loss, duplicates, reordering and latency.
 */
final class Blaster implements AutoCloseable {

	private final ServerSocket server;

	private final int frameSize;

	private final CountDownLatch go = new CountDownLatch(1);

	private volatile long written;

	private Thread thread;

	Blaster(int frameSize) throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.frameSize = frameSize;
	}

	int port() {
		return this.server.getLocalPort();
	}

	/** Accepts one client now; writes once {@link #go} is called, for the given time. */
	void serve(long durationNanos) {
		this.thread = new Thread(() -> {
			try (Socket client = this.server.accept(); OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
				this.go.await();
				long end = System.nanoTime() + durationNanos;
				byte[] frame = new byte[this.frameSize];
				long seq = 0;
				while (System.nanoTime() < end) {
					for (int i = 0; i < 256; i++) {
						write(frame, ++seq, System.nanoTime());
						out.write(frame);
					}
					this.written = seq;
				}
				out.flush();
				this.written = seq;
			}
			catch (IOException | InterruptedException ex) {
				throw new IllegalStateException("The blaster stopped: " + ex.getMessage(), ex);
			}
		}, "blaster");
		this.thread.start();
	}

	private void write(byte[] frame, long seq, long nanos) {
		byte[] head = (seq + " " + nanos + " ").getBytes(StandardCharsets.US_ASCII);
		System.arraycopy(head, 0, frame, 0, head.length);
		Arrays.fill(frame, head.length, frame.length - 1, (byte) 'x');
		frame[frame.length - 1] = '\n';
	}

	void go() {
		this.go.countDown();
	}

	void awaitDone() throws InterruptedException {
		this.thread.join(TimeUnit.MINUTES.toMillis(2));
	}

	long written() {
		return this.written;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
