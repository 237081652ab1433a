package io.tcpbridge.bench;

import java.util.Arrays;

/** Latency samples in nanoseconds, and their percentiles. Keeps at most 16 million samples. */
final class Latencies {

	private static final int MAX_SAMPLES = 1 << 24;

	private long[] samples = new long[1 << 12];

	private int count;

	private long[] sorted;

	void add(long nanos) {
		if (this.count == this.samples.length) {
			if (this.count == MAX_SAMPLES) {
				return;
			}
			this.samples = Arrays.copyOf(this.samples, this.count * 2);
		}
		this.samples[this.count++] = nanos;
		this.sorted = null;
	}

	/** All samples of several subscribers, as one. */
	static Latencies merge(Iterable<Receiver> receivers) {
		Latencies all = new Latencies();
		for (Receiver receiver : receivers) {
			Latencies one = receiver.latencies();
			for (int i = 0; i < one.count; i++) {
				all.add(one.samples[i]);
			}
		}
		return all;
	}

	/** The percentile in milliseconds, e.g. {@code percentileMillis(99.9)}; 100 is the maximum. */
	double percentileMillis(double percentile) {
		if (this.count == 0) {
			return Double.NaN;
		}
		if (this.sorted == null) {
			this.sorted = Arrays.copyOf(this.samples, this.count);
			Arrays.sort(this.sorted);
		}
		int index = (int) Math.min(this.sorted.length - 1, Math.ceil(percentile / 100.0 * this.sorted.length) - 1);
		return this.sorted[Math.max(0, index)] / 1e6;
	}

}
