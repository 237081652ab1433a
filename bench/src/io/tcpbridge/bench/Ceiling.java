package io.tcpbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Trivial servers that speak just enough SSE or WebSocket to stream the blaster's frames as
 * fast as one thread can write them, in the bridge's format: what the harness's own
 * subscribers can take at most. A scenario far under this ceiling measures the bridge, not
 * the harness.
 */
final class Ceiling implements AutoCloseable {

	private final ServerSocket server;

	private final boolean webSocket;

	private final int frameSize;

	private final long durationNanos;

	Ceiling(boolean webSocket, int frameSize, long durationNanos) throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.webSocket = webSocket;
		this.frameSize = frameSize;
		this.durationNanos = durationNanos;
		Thread thread = new Thread(this::serve, "ceiling-server");
		thread.setDaemon(true);
		thread.start();
	}

	int port() {
		return this.server.getLocalPort();
	}

	private void serve() {
		try (Socket client = this.server.accept()) {
			InputStream in = client.getInputStream();
			String request = head(in);
			OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
			if (this.webSocket) {
				Matcher key = Pattern.compile("(?i)Sec-WebSocket-Key: (\\S+)").matcher(request);
				key.find();
				out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
						+ "Sec-WebSocket-Accept: " + accept(key.group(1)) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				// a first notice, as the bridge sends
				byte[] notice = "{\"event\":\"connection\"}".getBytes(StandardCharsets.US_ASCII);
				out.write(0x81);
				out.write(notice.length);
				out.write(notice);
			}
			else {
				out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
					.getBytes(StandardCharsets.US_ASCII));
			}
			byte[] payload = new byte[this.frameSize - 1];
			Arrays.fill(payload, (byte) 'x');
			long end = System.nanoTime() + this.durationNanos;
			long seq = 0;
			StringBuilder batch = new StringBuilder();
			while (System.nanoTime() < end) {
				if (this.webSocket) {
					for (int i = 0; i < 256; i++) {
						stamp(payload, ++seq);
						out.write(0x82);
						out.write(payload.length < 126 ? payload.length : 126);
						if (payload.length >= 126) {
							out.write(payload.length >> 8);
							out.write(payload.length & 0xFF);
						}
						out.write(payload);
					}
				}
				else {
					batch.setLength(0);
					for (int i = 0; i < 256; i++) {
						stamp(payload, ++seq);
						appendEvent(batch, seq, payload);
					}
					byte[] chunk = batch.toString().getBytes(StandardCharsets.US_ASCII);
					out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					out.write(chunk);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
			}
			out.flush();
		}
		catch (IOException ex) {
			// the subscriber closed: the run is over
		}
	}

	private static void stamp(byte[] payload, long seq) {
		Blaster.stamp(payload, seq, System.nanoTime());
	}

	/** One frame as the bridge writes it to an SSE subscriber. */
	private static void appendEvent(StringBuilder batch, long seq, byte[] payload) {
		batch.append("event: frame\nid: lx3k9a2b-").append(seq).append("\ndata: ")
			.append(new String(payload, StandardCharsets.US_ASCII)).append("\n\n");
	}

	private static String head(InputStream in) throws IOException {
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("closed in the request head");
			}
			head.append((char) b);
		}
		return head.toString();
	}

	private static String accept(String key) {
		try {
			byte[] sha1 = MessageDigest.getInstance("SHA-1")
				.digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII));
			return Base64.getEncoder().encodeToString(sha1);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

	/**
	 * A trivial SSE fan-out: one thread that writes each frame, at a steady rate, to every
	 * subscriber, the frames due at once in one write: what the harness's subscribers see at
	 * best when a hundred of them share the machine with the server.
	 */
	static final class FanOut implements AutoCloseable {

		private final ServerSocket server;

		private final Thread thread;

		FanOut(int subscribers, int rate, long durationNanos) throws IOException {
			this.server = new ServerSocket(0, subscribers, InetAddress.getLoopbackAddress());
			this.thread = new Thread(() -> serve(subscribers, rate, durationNanos), "fan-out-server");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void serve(int count, int rate, long durationNanos) {
			java.util.List<Socket> clients = new java.util.ArrayList<>();
			try {
				java.util.List<OutputStream> outs = new java.util.ArrayList<>();
				for (int i = 0; i < count; i++) {
					Socket client = this.server.accept();
					client.setTcpNoDelay(true);
					clients.add(client);
					head(client.getInputStream());
					OutputStream out = new BufferedOutputStream(client.getOutputStream(), 64 * 1024);
					out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
					outs.add(out);
				}
				byte[] payload = new byte[63];
				Arrays.fill(payload, (byte) 'x');
				long interval = 1_000_000_000L / rate;
				long start = System.nanoTime();
				long end = start + durationNanos;
				long seq = 0;
				StringBuilder batch = new StringBuilder();
				while (System.nanoTime() < end) {
					long due = (System.nanoTime() - start) / interval + 1;
					if (seq >= due) {
						java.util.concurrent.locks.LockSupport.parkNanos(start + seq * interval - System.nanoTime());
						continue;
					}
					batch.setLength(0);
					while (seq < due) {
						stamp(payload, ++seq);
						appendEvent(batch, seq, payload);
					}
					byte[] chunk = batch.toString().getBytes(StandardCharsets.US_ASCII);
					byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
					for (OutputStream out : outs) {
						out.write(size);
						out.write(chunk);
						out.write('\r');
						out.write('\n');
						out.flush();
					}
				}
			}
			catch (IOException ex) {
				// a subscriber closed: the run is over
			}
			finally {
				for (Socket client : clients) {
					try {
						client.close();
					}
					catch (IOException ex) {
						// closing anyway
					}
				}
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
