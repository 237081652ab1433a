package io.tcpbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * An upstream that writes numbered, timestamped lf frames to one client on 127.0.0.1, for a
 * bounded time: as fast as it can, or at a steady rate. Each frame is
 * {@code <seq> <System.nanoTime()> <padding>\n}, stamped as it is written, so a receiver on
 * this host can tell loss, duplicates, reordering and latency.
 */
final class Blaster implements AutoCloseable {

	private final ServerSocket server;

	private final int frameSize;

	private final int rate;

	private final CountDownLatch go = new CountDownLatch(1);

	private volatile long written;

	/** When the latest client connected, under {@link #serveEachClient}. */
	private volatile long connectedNanos;

	private volatile boolean stopped;

	private Thread thread;

	/**
	 * @param frameSize bytes per frame, line feed included
	 * @param rate frames per second, or 0 for as fast as the reader takes them
	 */
	Blaster(int frameSize, int rate) throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.frameSize = frameSize;
		this.rate = rate;
	}

	int port() {
		return this.server.getLocalPort();
	}

	/**
	 * At a steady rate, to a client, then to the next each time one goes, until the time is
	 * up: the numbers go on from one client to the next, as a device's would for whichever
	 * replica of a cluster connects to it. Frames written to a client that is gone are lost.
	 */
	Blaster serveEachClient(long durationNanos) {
		this.thread = new Thread(() -> {
			long end = System.nanoTime() + durationNanos;
			while (!this.stopped && System.nanoTime() < end) {
				try (Socket client = this.server.accept();
						OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
					client.setTcpNoDelay(true);
					this.connectedNanos = System.nanoTime();
					pace(out, this.connectedNanos, end);
				}
				catch (IOException ex) {
					// the client went: the next one, unless the time is up
				}
			}
		}, "blaster");
		this.thread.start();
		return this;
	}

	/** Accepts one client now; writes once {@link #go} is called, for the given time. */
	Blaster serve(long durationNanos) {
		this.thread = new Thread(() -> {
			try (Socket client = this.server.accept();
					OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024)) {
				client.setTcpNoDelay(true);
				this.go.await();
				if (this.rate == 0) {
					blast(out, durationNanos);
				}
				else {
					long start = System.nanoTime();
					pace(out, start, start + durationNanos);
				}
			}
			catch (IOException | InterruptedException ex) {
				System.err.println("The blaster stopped: " + ex);
			}
		}, "blaster");
		this.thread.start();
		return this;
	}

	private void blast(OutputStream out, long durationNanos) throws IOException {
		long end = System.nanoTime() + durationNanos;
		byte[] frame = frame();
		long seq = 0;
		while (System.nanoTime() < end && !this.stopped) {
			for (int i = 0; i < 256; i++) {
				stamp(frame, ++seq, System.nanoTime());
				out.write(frame);
			}
			this.written = seq;
		}
		out.flush();
		this.written = seq;
	}

	/**
	 * Each frame at its time, stamped as it is written; the frames due at once are flushed
	 * together, so that a high rate is not a system call per frame.
	 */
	private void pace(OutputStream out, long start, long end) throws IOException {
		long interval = 1_000_000_000L / this.rate;
		byte[] frame = frame();
		// numbered on from the frames written to the clients before this one, paced from its start
		long first = this.written;
		long seq = first;
		while (!this.stopped) {
			long now = System.nanoTime();
			if (now >= end) {
				break;
			}
			long due = first + (now - start) / interval + 1;
			if (seq >= due) {
				LockSupport.parkNanos(start + (seq - first) * interval - now);
				continue;
			}
			while (seq < due) {
				stamp(frame, ++seq, System.nanoTime());
				out.write(frame);
			}
			out.flush();
			this.written = seq;
		}
		out.flush();
	}

	private byte[] frame() {
		byte[] frame = new byte[this.frameSize];
		Arrays.fill(frame, (byte) 'x');
		frame[frame.length - 1] = '\n';
		return frame;
	}

	/** Writes {@code <seq> <nanos> } at the start of the frame, in decimal, without allocating. */
	static void stamp(byte[] frame, long seq, long nanos) {
		int i = digits(frame, 0, seq);
		frame[i++] = ' ';
		i = digits(frame, i, nanos);
		frame[i] = ' ';
	}

	private static int digits(byte[] into, int at, long value) {
		int length = (value == 0) ? 1 : (int) Math.log10(value) + 1;
		for (int i = at + length - 1; i >= at; i--) {
			into[i] = (byte) ('0' + value % 10);
			value /= 10;
		}
		return at + length;
	}

	void go() {
		this.go.countDown();
	}

	/** Stops writing before the time is up. */
	void stop() {
		this.stopped = true;
	}

	void awaitDone() throws InterruptedException {
		this.thread.join(TimeUnit.MINUTES.toMillis(2));
	}

	/** When the latest client connected, under {@link #serveEachClient}; 0 before the first. */
	long connectedNanos() {
		return this.connectedNanos;
	}

	long written() {
		return this.written;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
