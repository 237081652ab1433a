package io.tcpbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * An upstream that answers each line it reads {@link #DELAY_NANOS} after it came, in the
 * order they came, however many wait: a device that takes a millisecond per request and
 * works on several at once. The answer is the request with {@code ,"ok":true} put before its
 * closing brace, so a request's {@code "id"} is in its reply.
 */
final class Responder implements AutoCloseable {

	static final long DELAY_NANOS = 1_000_000;

	private final ServerSocket server;

	private final BlockingQueue<Due> due = new LinkedBlockingQueue<>();

	private volatile boolean closed;

	private record Due(long atNanos, byte[] answer) {
	}

	Responder() throws IOException {
		this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
		Thread thread = new Thread(this::serve, "responder");
		thread.setDaemon(true);
		thread.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void serve() {
		while (!this.closed) {
			try (Socket client = this.server.accept()) {
				client.setTcpNoDelay(true);
				Thread writer = new Thread(() -> answer(client), "responder-writer");
				writer.setDaemon(true);
				writer.start();
				read(client.getInputStream());
				writer.interrupt();
			}
			catch (IOException ex) {
				// the connection or the server closed
			}
		}
	}

	private void read(InputStream in) throws IOException {
		byte[] buffer = new byte[64 * 1024];
		byte[] line = new byte[1024];
		int length = 0;
		int n;
		while ((n = in.read(buffer)) > 0) {
			for (int i = 0; i < n; i++) {
				if (buffer[i] == '\n') {
					this.due.add(new Due(System.nanoTime() + DELAY_NANOS, answer(line, length)));
					length = 0;
				}
				else if (length < line.length) {
					line[length++] = buffer[i];
				}
			}
		}
	}

	/** {@code {"id":7}} answered as {@code {"id":7,"ok":true}}, with its line feed. */
	private static byte[] answer(byte[] request, int length) {
		int brace = (length > 0 && request[length - 1] == '}') ? length - 1 : length;
		byte[] suffix = (brace < length) ? ",\"ok\":true}\n".getBytes() : "\n".getBytes();
		byte[] answer = new byte[brace + suffix.length];
		System.arraycopy(request, 0, answer, 0, brace);
		System.arraycopy(suffix, 0, answer, brace, suffix.length);
		return answer;
	}

	private void answer(Socket client) {
		try {
			OutputStream out = client.getOutputStream();
			while (!Thread.currentThread().isInterrupted()) {
				Due next = this.due.take();
				for (long wait = next.atNanos() - System.nanoTime(); wait > 0; wait = next.atNanos() - System.nanoTime()) {
					LockSupport.parkNanos(wait);
				}
				out.write(next.answer());
			}
		}
		catch (IOException | InterruptedException ex) {
			// the connection closed
		}
	}

	@Override
	public void close() throws IOException {
		this.closed = true;
		this.server.close();
	}

}
