package io.tcpbridge.stream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tcpbridge.stream.StreamProperties.SlowConsumerPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

/**
 * Frames per second that one reading thread can hand to {@link FrameHub#publish}: number
 * the frame, keep it in the history, and queue it for every subscriber, with the default
 * {@link StreamProperties}. This is the work done on the upstream link's thread for every
 * frame, and it grows with the number of subscribers.
 *
 * <p>Subscribers are drained by a small pool of delivery threads, as in the bridge (which
 * has one per core), into sinks that only count frames. Those threads compete with the publishing
 * thread for the CPU, as they do in the bridge. A subscriber whose queue fills loses its
 * oldest frames, the default policy, which is part of what is measured.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameHubBenchmark {

	private static final int DELIVERY_THREADS = 4;

	@Param({ "0", "1", "100" })
	int subscribers;

	private final LongAdder delivered = new LongAdder();

	private final byte[] payload = new byte[64];

	private final List<Subscriber> subscribed = new ArrayList<>();

	private ThreadPoolTaskExecutor delivery;

	private ThreadPoolTaskScheduler heartbeat;

	private FrameHub hub;

	@Setup
	public void start() {
		StreamProperties properties = new StreamProperties(10_000, DataSize.ofMegabytes(16), 8192,
				SlowConsumerPolicy.DROP_OLDEST, Duration.ofSeconds(15), 8000, Duration.ofSeconds(30), DataSize.ofKilobytes(128));
		this.delivery = new ThreadPoolTaskExecutor();
		this.delivery.setCorePoolSize(DELIVERY_THREADS);
		this.delivery.initialize();
		this.heartbeat = new ThreadPoolTaskScheduler();
		this.heartbeat.initialize();
		this.hub = new FrameHub(properties, new DeliveryThreads(this.delivery), this.heartbeat, new SimpleMeterRegistry());
		this.hub.start();
		for (int i = 0; i < this.subscribers; i++) {
			this.subscribed.add(this.hub.subscribe(new CountingSink(this.delivered), null));
		}
		for (int i = 0; i < this.payload.length; i++) {
			this.payload[i] = (byte) ('a' + i % 26);
		}
	}

	@Benchmark
	public void publish() {
		this.hub.publish(this.payload);
	}

	@TearDown
	public void stop() throws InterruptedException {
		// leave quietly: ending each stream would log a line per subscriber
		this.subscribed.forEach(Subscriber::cancel);
		this.hub.stop();
		this.heartbeat.shutdown();
		this.delivery.shutdown();
		if (this.subscribers > 0 && this.delivered.sum() == 0) {
			throw new IllegalStateException("No frame reached a subscriber");
		}
	}

	/** Counts the frames it is given, and writes them nowhere. */
	private record CountingSink(LongAdder frames) implements SubscriberSink {

		@Override
		public void write(Collection<StreamItem> items, Progress progress) {
			for (StreamItem item : items) {
				if (item instanceof Frame) {
					this.frames.increment();
				}
			}
			progress.written();
		}

		@Override
		public void close(String reason) {
		}

		@Override
		public void abort(String reason) {
		}

		@Override
		public String client() {
			return "counting";
		}

		@Override
		public Transport transport() {
			return Transport.SSE;
		}

	}

}
