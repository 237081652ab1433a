package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A buffer in front of a socket's input stream, for the one thread that reads it.
 * {@link java.io.BufferedInputStream} takes a lock on every {@code read()}; this buffer takes
 * none, and lets the frame codecs find their end byte with one scan of what arrived instead
 * of a call per byte. It also notes when bytes last arrived, which tells a silent peer.
 */
public final class ReadBuffer extends InputStream {

	private final InputStream socket;

	private final byte[] buffer;

	private int position;

	private int limit;

	private volatile long lastReadNanos = System.nanoTime();

	public ReadBuffer(InputStream socket, int size) {
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

	/**
	 * Reads the bytes before the next {@code end} byte, and the end byte too, if it comes
	 * within {@code max} bytes. A frame that arrived whole is one scan and one copy.
	 * @param readBefore bytes of this frame the caller read before, for the count a
	 * truncated frame reports
	 * @return the bytes before {@code end}; {@code null} when more than {@code max} bytes
	 * came without it
	 * @see FrameCodec#readUntil(InputStream, byte, int, int)
	 */
	byte[] readUntil(byte end, int max, int readBefore) throws IOException {
		byte[] frame = null;
		int n = 0;
		while (true) {
			if (this.position == this.limit && !fill()) {
				FrameCodec.endOfStream(readBefore + n);
			}
			int room = max - n;
			// one byte past the room: the end byte may come right after the largest frame
			int window = Math.min(this.limit - this.position, room + 1);
			int at = indexOf(end, this.position, this.position + window);
			int taken = (at >= 0) ? at - this.position : Math.min(window, room);
			if (frame == null && at >= 0) {
				frame = Arrays.copyOfRange(this.buffer, this.position, at);
			}
			else if (taken > 0) {
				if (frame == null || n + taken > frame.length) {
					int grown = (frame == null) ? taken : Math.max(n + taken, frame.length * 2);
					frame = (frame == null) ? new byte[grown] : Arrays.copyOf(frame, Math.min(max, grown));
				}
				System.arraycopy(this.buffer, this.position, frame, n, taken);
			}
			n += taken;
			this.position += taken;
			if (at >= 0) {
				this.position++;
				return (frame.length == n) ? frame : Arrays.copyOf(frame, n);
			}
			if (window > room) {
				return null;
			}
		}
	}

	private int indexOf(byte b, int from, int to) {
		byte[] bytes = this.buffer;
		for (int i = from; i < to; i++) {
			if (bytes[i] == b) {
				return i;
			}
		}
		return -1;
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
	public long lastReadNanos() {
		return this.lastReadNanos;
	}

}
