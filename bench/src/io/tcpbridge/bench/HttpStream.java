package io.tcpbridge.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A streaming HTTP/1.1 GET on a plain socket: the request, the response head, and the body as
 * a stream, de-chunked. Light enough that one process holds thousands of them.
 */
final class HttpStream implements AutoCloseable {

	private final Socket socket;

	private InputStream body;

	private HttpStream(Socket socket) {
		this.socket = socket;
	}

	/** Sends the request only; {@link #body()} reads the response head when first called. */
	static HttpStream get(int port, String path, String accept) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		return new HttpStream(socket);
	}

	/** The response body, after checking the status is 200. */
	InputStream body() throws IOException {
		if (this.body == null) {
			InputStream in = new BufferedInputStream(this.socket.getInputStream(), 64 * 1024);
			String status = line(in);
			if (!status.startsWith("HTTP/1.1 200")) {
				throw new IOException("Expected 200, got: " + status);
			}
			boolean chunked = false;
			String header;
			while (!(header = line(in)).isEmpty()) {
				chunked |= header.toLowerCase(Locale.ROOT).equals("transfer-encoding: chunked");
			}
			this.body = chunked ? new Dechunked(in) : in;
		}
		return this.body;
	}

	private static String line(InputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int b;
		while ((b = in.read()) != '\n') {
			if (b < 0) {
				throw new IOException("The connection closed in the response head");
			}
			if (b != '\r') {
				line.write(b);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** The data of a chunked body, without the chunk heads. */
	private static final class Dechunked extends InputStream {

		private final InputStream in;

		private long remaining;

		Dechunked(InputStream in) {
			this.in = in;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xFF;
		}

		@Override
		public int read(byte[] into, int offset, int length) throws IOException {
			if (this.remaining == 0) {
				String head = line(this.in);
				if (head.isEmpty()) {
					head = line(this.in);
				}
				this.remaining = Long.parseLong(head.split(";")[0].trim(), 16);
				if (this.remaining == 0) {
					return -1;
				}
			}
			int n = this.in.read(into, offset, (int) Math.min(length, this.remaining));
			if (n > 0) {
				this.remaining -= n;
			}
			return n;
		}

	}

}
