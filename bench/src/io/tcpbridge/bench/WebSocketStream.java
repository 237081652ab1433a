package io.tcpbridge.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket that only reads: the opening handshake, then server
 * messages as they come, parsed in place. Binary messages go to the receiver; text messages
 * (the bridge's JSON notices) and control frames are skipped.
 */
final class WebSocketStream implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	/** The payload size of the frame whose header was read last. */
	private int size;

	private WebSocketStream(Socket socket, DataInputStream in) {
		this.socket = socket;
		this.in = in;
	}

	static WebSocketStream open(int port, String path) throws IOException {
		Socket socket = new Socket(InetAddress.getLoopbackAddress(), port);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce)
				+ "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		out.flush();
		DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
		StringBuilder head = new StringBuilder();
		while (!head.toString().endsWith("\r\n\r\n")) {
			int b = in.read();
			if (b < 0) {
				throw new EOFException("The connection closed in the handshake: " + head);
			}
			head.append((char) b);
		}
		if (!head.toString().startsWith("HTTP/1.1 101")) {
			throw new IOException("The WebSocket handshake failed: " + head);
		}
		return new WebSocketStream(socket, in);
	}

	/**
	 * Reads until the first text message: the bridge's first notice, which it sends once the
	 * subscriber is in its hub, so that no frame is written before it can get it.
	 */
	WebSocketStream awaitFirstText() throws IOException {
		while (true) {
			int opcode = readHeader();
			this.in.skipNBytes(this.size);
			if (opcode == 1) {
				return this;
			}
		}
	}

	/** Reads a server frame's header (server frames are not masked): its opcode, and its payload size into {@link #size}. */
	private int readHeader() throws IOException {
		int opcode = this.in.readUnsignedByte() & 0x0F;
		int length = this.in.readUnsignedByte() & 0x7F;
		this.size = (int) ((length == 126) ? this.in.readUnsignedShort() : (length == 127) ? this.in.readLong() : length);
		return opcode;
	}

	/**
	 * Reads until the connection closes.
	 * @param lines whether binary messages are pieces of a line stream (a TCP-to-WebSocket
	 * proxy) rather than one frame each
	 */
	void read(Receiver receiver, boolean lines) {
		byte[] payload = new byte[64 * 1024];
		try {
			while (true) {
				int opcode = readHeader();
				int size = this.size;
				if (size > payload.length) {
					payload = new byte[size];
				}
				this.in.readFully(payload, 0, size);
				if (opcode == 8) {
					return;
				}
				if (opcode == 2 || (opcode == 0 && lines)) {
					if (lines) {
						receiver.lines(payload, 0, size);
					}
					else {
						receiver.frame(payload, 0, size);
					}
				}
			}
		}
		catch (IOException ex) {
			// closed at the end of the run
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
