package io.tcpbridge.bench;

import java.io.IOException;
import java.io.InputStream;

/**
 * Counts the blaster's frames as a subscriber gets them, and what a benchmark reports of
 * them: rate, loss, duplicates and reordering by sequence number, latency from the
 * timestamp in the frame. Frames come as lines (a plain socket, SSE {@code data:} lines, a
 * byte stream over WebSocket) or one per message; lines are cut in bulk, without a string
 * per line, so that the receiver is not what limits a run.
 */
final class Receiver {

	private static final byte[] DATA = "data: ".getBytes();

	private volatile Latencies latencies = new Latencies();

	private final boolean sse;

	private final long warmUpNanos;

	private byte[] line = new byte[4096];

	private int lineLength;

	private long received;

	private long lastSeq;

	private long duplicates;

	private long outOfOrder;

	private long firstNanos;

	private long measuredFromNanos;

	private long receivedBeforeMeasure;

	private volatile long lastNanos;

	private volatile long lastSentNanos;

	private volatile long count;

	/**
	 * @param sse whether lines are SSE: only {@code data:} lines that do not hold JSON are frames
	 * @param warmUpNanos frames received this long after the first are counted for loss and
	 * order but not measured: neither their latency nor their rate
	 */
	Receiver(boolean sse, long warmUpNanos) {
		this.sse = sse;
		this.warmUpNanos = warmUpNanos;
	}

	/** Reads lines until the stream ends or is closed. */
	void readLines(InputStream in) {
		byte[] buffer = new byte[64 * 1024];
		try {
			int n;
			while ((n = in.read(buffer)) > 0) {
				lines(buffer, 0, n);
			}
		}
		catch (IOException ex) {
			// closed at the end of the run
		}
	}

	/** Takes bytes of a line stream, which may end in the middle of a line. */
	void lines(byte[] bytes, int offset, int length) {
		int end = offset + length;
		int start = offset;
		for (int i = offset; i < end; i++) {
			if (bytes[i] == '\n') {
				if (this.lineLength == 0) {
					line(bytes, start, i - start);
				}
				else {
					append(bytes, start, i - start);
					line(this.line, 0, this.lineLength);
					this.lineLength = 0;
				}
				start = i + 1;
			}
		}
		append(bytes, start, end - start);
	}

	private void append(byte[] bytes, int offset, int length) {
		if (this.lineLength + length > this.line.length) {
			this.line = java.util.Arrays.copyOf(this.line, Math.max(this.line.length * 2, this.lineLength + length));
		}
		System.arraycopy(bytes, offset, this.line, this.lineLength, length);
		this.lineLength += length;
	}

	private void line(byte[] bytes, int offset, int length) {
		if (!this.sse) {
			frame(bytes, offset, length);
			return;
		}
		if (length <= DATA.length || bytes[offset + DATA.length] == '{') {
			return;
		}
		for (int i = 0; i < DATA.length; i++) {
			if (bytes[offset + i] != DATA[i]) {
				return;
			}
		}
		frame(bytes, offset + DATA.length, length - DATA.length);
	}

	/** One frame: {@code <seq> <nanoTime> <padding>}. */
	void frame(byte[] bytes, int offset, int length) {
		long now = System.nanoTime();
		int i = offset;
		long seq = 0;
		while (bytes[i] != ' ') {
			seq = seq * 10 + (bytes[i++] - '0');
		}
		i++;
		long sent = 0;
		int end = offset + length;
		while (i < end && bytes[i] != ' ') {
			sent = sent * 10 + (bytes[i++] - '0');
		}
		if (seq <= this.lastSeq) {
			if (seq == this.lastSeq) {
				this.duplicates++;
			}
			else {
				this.outOfOrder++;
			}
		}
		this.lastSeq = Math.max(this.lastSeq, seq);
		if (this.received++ == 0) {
			this.firstNanos = now;
		}
		if (now - this.firstNanos >= this.warmUpNanos) {
			if (this.measuredFromNanos == 0) {
				this.measuredFromNanos = now;
				this.receivedBeforeMeasure = this.received - 1;
			}
			this.latencies.add(now - sent);
		}
		this.lastNanos = now;
		this.lastSentNanos = sent;
		this.count = this.received;
	}

	/** Frames received so far; safe from any thread. */
	long count() {
		return this.count;
	}

	/** When the blaster wrote the latest frame received, on this host's clock; safe from any thread. */
	long lastSentNanos() {
		return this.lastSentNanos;
	}

	long lastSeq() {
		return this.lastSeq;
	}

	long duplicates() {
		return this.duplicates;
	}

	long outOfOrder() {
		return this.outOfOrder;
	}

	/** From the first frame after the warm-up to the last. */
	double framesPerSecond() {
		long last = this.lastNanos;
		long measured = this.received - this.receivedBeforeMeasure - 1;
		return (this.measuredFromNanos != 0 && last > this.measuredFromNanos)
				? measured * 1e9 / (last - this.measuredFromNanos) : 0;
	}

	Latencies latencies() {
		return this.latencies;
	}

	/** The latencies so far; those of later frames are kept apart from them. */
	Latencies takeLatencies() {
		Latencies taken = this.latencies;
		this.latencies = new Latencies();
		return taken;
	}

}
