package io.tcpbridge.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads frames from a line-oriented stream (a plain socket, or SSE {@code data:} lines) and
 * keeps what a benchmark reports: count, loss, duplicates and reordering by sequence, and
 * latency from the timestamp in the frame.
 */
final class Receiver {

	private final Latencies latencies = new Latencies(1 << 22);

	private long received;

	private long lastSeq;

	private long outOfOrder;

	private long firstNanos;

	private long lastNanos;

	/** Reads until the stream ends or no frame came for {@code idleMillis} after the first. */
	void read(InputStream in, boolean sse) throws IOException {
		BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
		String line;
		while ((line = lines.readLine()) != null) {
			String frame = line;
			if (sse) {
				if (!line.startsWith("data: ") || line.startsWith("data: {")) {
					continue;
				}
				frame = line.substring(6);
			}
			long now = System.nanoTime();
			int space = frame.indexOf(' ');
			int second = frame.indexOf(' ', space + 1);
			long seq = Long.parseLong(frame, 0, space, 10);
			long sent = Long.parseLong(frame, space + 1, second, 10);
			if (seq <= this.lastSeq) {
				this.outOfOrder++;
			}
			this.lastSeq = Math.max(this.lastSeq, seq);
			if (this.received++ == 0) {
				this.firstNanos = now;
			}
			this.lastNanos = now;
			this.latencies.add(now - sent);
		}
	}

	long received() {
		return this.received;
	}

	long lastSeq() {
		return this.lastSeq;
	}

	long outOfOrder() {
		return this.outOfOrder;
	}

	double framesPerSecond() {
		return (this.lastNanos > this.firstNanos) ? this.received * 1e9 / (this.lastNanos - this.firstNanos) : 0;
	}

	Latencies latencies() {
		return this.latencies;
	}

}
