package io.tcpbridge.upstream;

import java.io.IOException;
import java.io.InputStream;

/**
 * A buffer in front of the socket's input stream, for the one thread that reads it.
 * {@link java.io.BufferedInputStream} takes a lock on every {@code read()}; frame codecs read
 * byte by byte, and a profile of the bridge at full rate showed most of the reading thread's
 * time in those locks. It also notes when bytes last arrived, which tells a silent peer.
 */
final class ReadBuffer extends InputStream {

	private final InputStream socket;

	private final byte[] buffer;

	private int position;

	private int limit;

	private volatile long lastReadNanos = System.nanoTime();

	ReadBuffer(InputStream socket, int size) {
		this.socket = socket;
		this.buffer = new byte[size];
	}

	@Override
	public int read() throws IOException {
		if (this.position == this.limit && !fill()) {
			return -1;
		}
		return this.buffer[this.position++] & 0xFF;
	}

	@Override
	public int read(byte[] into, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		if (this.position == this.limit) {
			if (length >= this.buffer.length) {
				// as large as the buffer: straight from the socket
				int n = this.socket.read(into, offset, length);
				if (n > 0) {
					this.lastReadNanos = System.nanoTime();
				}
				return n;
			}
			if (!fill()) {
				return -1;
			}
		}
		int n = Math.min(length, this.limit - this.position);
		System.arraycopy(this.buffer, this.position, into, offset, n);
		this.position += n;
		return n;
	}

	private boolean fill() throws IOException {
		int n = this.socket.read(this.buffer, 0, this.buffer.length);
		if (n <= 0) {
			return false;
		}
		this.lastReadNanos = System.nanoTime();
		this.position = 0;
		this.limit = n;
		return true;
	}

	@Override
	public int available() throws IOException {
		return (this.limit - this.position) + this.socket.available();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/** When bytes last arrived from the socket, from {@link System#nanoTime()}. */
	long lastReadNanos() {
		return this.lastReadNanos;
	}

}
