package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tcpbridge.cluster.AppendScript.Entry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The leader's side of a link's shared stream: what the link reads, and its changes of
 * state, appended to the stream in Redis in the order they happened, by a thread of its own
 * that takes everything that waits into one script call, the frames between two changes of
 * state packed into one entry ({@link AppendScript}). The script appends only for the
 * holder of the link's lock ({@code append.lua}).
 *
 * <p>The reading thread waits while {@value #MAX_WAITING} frames wait for Redis, so that a
 * Redis slower than the upstream slows the reads, and TCP the upstream, instead of losing
 * frames. A frame that cannot be appended because this replica no longer holds the link is
 * counted ({@code bridge.cluster.frames.lost}): the next leader's connection starts after it.
 */
final class StreamAppender {

	private static final Log logger = LogFactory.getLog(StreamAppender.class);

	static final int MAX_WAITING = 16_384;

	private static final int MAX_BATCH = 4096;

	private static final long MAX_BATCH_BYTES = 256 * 1024;

	private final String link;

	private final AppendScript script;

	private final LinkedBlockingQueue<Entry> waiting = new LinkedBlockingQueue<>();

	private final Semaphore room = new Semaphore(MAX_WAITING);

	private final Timer appends;

	private final Counter lostNotLeader;

	private final Counter redisErrors;

	private final ClusterFaults faults;

	/** The lock's owner and the run while this replica leads the link; {@code null} otherwise. */
	private volatile @Nullable Lease lease;

	private final LinkThread thread;

	StreamAppender(String link, LinkKeys keys, long maxLength, StringRedisTemplate redis,
			ClusterFaults faults, MeterRegistry registry) {
		this.link = link;
		this.thread = new LinkThread("cluster-append-" + link, this::run);
		this.script = new AppendScript(keys, maxLength, redis);
		this.faults = faults;
		this.appends = Timer.builder("bridge.cluster.append")
			.description("Calls that appended what a leader read to its link's shared stream in Redis")
			.tag("link", link)
			.publishPercentileHistogram()
			.register(registry);
		this.lostNotLeader = Counter.builder("bridge.cluster.frames.lost")
			.description("Frames read by a replica that no longer held the link, so not appended to its stream")
			.tag("link", link)
			.register(registry);
		this.redisErrors = ClusterFaults.errors(registry, "append");
	}

	/** Appends from now on, as the holder of the link's lock. */
	void lead(String owner, String run) {
		this.lease = new Lease(owner, run);
	}

	/** Appends no more: this replica no longer holds the link. What still waits is lost, and counted. */
	void follow() {
		this.lease = null;
		discardWaiting();
	}

	/** A frame the link read: waits for room while too many frames wait for Redis. */
	void frame(byte[] payload) {
		try {
			while (!this.room.tryAcquire(100, TimeUnit.MILLISECONDS)) {
				if (this.lease == null) {
					this.lostNotLeader.increment();
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.lostNotLeader.increment();
			return;
		}
		this.waiting.add(new Entry(true, payload));
	}

	/** A change of the link's state; never waits. */
	void state(StateEntry entry) {
		this.waiting.add(new Entry(false, entry.encode()));
	}

	/** Waits until everything that waited has been appended, or lost, for at most {@code timeout}. */
	boolean flush(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.waiting.isEmpty() || this.room.availablePermits() < MAX_WAITING) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			LockSupport.parkNanos(1_000_000);
		}
		return true;
	}

	void start() {
		this.thread.start();
	}

	void stop() {
		this.thread.stop();
	}

	private void run() {
		List<Entry> batch = new ArrayList<>();
		while (this.thread.running()) {
			try {
				if (batch.isEmpty()) {
					Entry first = this.waiting.poll(1, TimeUnit.SECONDS);
					if (first == null) {
						continue;
					}
					batch.add(first);
					long bytes = first.value().length;
					Entry next;
					while (batch.size() < MAX_BATCH && bytes < MAX_BATCH_BYTES && (next = this.waiting.poll()) != null) {
						batch.add(next);
						bytes += next.value().length;
					}
				}
				if (append(batch)) {
					release(batch);
					batch.clear();
				}
				else {
					// Redis failed it: the same batch again, once Redis answers
					Thread.sleep(100);
				}
			}
			catch (InterruptedException ex) {
				break;
			}
		}
	}

	/** Whether the batch is done with: appended, or lost for want of the link's lock. */
	private boolean append(List<Entry> batch) {
		Lease current = this.lease;
		if (current == null) {
			lose(batch);
			return true;
		}
		long result;
		long started = System.nanoTime();
		try {
			result = this.script.append(current.owner(), current.run(), batch);
			this.faults.recovered();
		}
		catch (RuntimeException ex) {
			this.redisErrors.increment();
			this.faults.failed("appending to the stream of link " + this.link, ex);
			return this.lease == null && lose(batch);
		}
		this.appends.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		if (result < 0) {
			logger.warn("Link " + this.link + ": " + ((result == AppendScript.OTHER_RUN) ? "its stream began a new run"
					: "this replica no longer holds the link") + "; " + frames(batch) + " frames read were not appended");
			lose(batch);
		}
		return true;
	}

	private boolean lose(List<Entry> batch) {
		this.lostNotLeader.increment(frames(batch));
		release(batch);
		return true;
	}

	private void discardWaiting() {
		List<Entry> left = new ArrayList<>();
		this.waiting.drainTo(left);
		lose(left);
	}

	private void release(List<Entry> batch) {
		this.room.release(frames(batch));
	}

	private static int frames(List<Entry> batch) {
		int frames = 0;
		for (Entry entry : batch) {
			frames += entry.frame() ? 1 : 0;
		}
		return frames;
	}

	/** What an append must show the script: who holds the lock, and which run it numbers. */
	private record Lease(String owner, String run) {
	}

}
