package io.tcpbridge.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, and their percentiles. Keeps the first {@code capacity} samples. */
final class Latencies {

	private final long[] samples;

	private int count;

	Latencies(int capacity) {
		this.samples = new long[capacity];
	}

	void add(long nanos) {
		if (this.count < this.samples.length) {
			this.samples[this.count++] = nanos;
		}
	}

	/** The percentile in milliseconds, e.g. {@code percentile(99.0)}. */
	double percentileMillis(double percentile) {
		if (this.count == 0) {
			return Double.NaN;
		}
		long[] sorted = Arrays.copyOf(this.samples, this.count);
		Arrays.sort(sorted);
		int index = (int) Math.min(sorted.length - 1, Math.ceil(percentile / 100.0 * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

}
