package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * Every replica's side of a link's shared stream: a thread of its own reads the stream in
 * Redis, from where it left off, and hands its frames, with their numbers, and its changes of
 * state to the link's hub, which serves this replica's subscribers from them. The leader's
 * subscribers are served the same way, so a frame has one id on every replica.
 *
 * <p>It joins the stream first ({@link LinkMeta}): the link's run, its latest frame, and its
 * latest state; the hub starts with the history the stream still holds. Until then, and
 * while Redis does not answer at start-up, the hub turns subscribers away. Where the stream
 * went on beyond what it could read (a replica cut off from Redis, or slower than the
 * leader, for longer than the stream's length) the hub goes on after what it missed, and
 * its subscribers are told it as a gap; where the stream began anew, in another run, the
 * hub starts again from there, and its subscribers come back with their last ids.
 */
final class StreamTail {

	private static final Log logger = LogFactory.getLog(StreamTail.class);

	/** Entries per read: each holds up to an append's frames (256 KiB). */
	private static final int READ_COUNT = 32;

	private final String link;

	private final LinkMeta meta;

	private final FrameHub hub;

	private final int history;

	private final Duration block;

	private final RedisConnectionFactory connections;

	private final ClusterFaults faults;

	private final Counter readErrors;

	private final Counter skips;

	private final Counter skipped;

	private final byte[] streamKey;

	private final LinkThread thread;

	/** Whether it has joined the stream, and reads it. */
	private volatile boolean joined;

	/** The latest state entry read: who holds the link, and how it stands. */
	private volatile @Nullable StateEntry latestState;

	StreamTail(String link, LinkMeta meta, FrameHub hub, int history, Duration block,
			RedisConnectionFactory connections, ClusterFaults faults, MeterRegistry registry) {
		this.link = link;
		this.thread = new LinkThread("cluster-tail-" + link, this::run);
		this.meta = meta;
		this.hub = hub;
		this.history = history;
		this.block = block;
		this.connections = connections;
		this.faults = faults;
		this.streamKey = meta.keys().frames().getBytes(StandardCharsets.UTF_8);
		this.readErrors = ClusterFaults.errors(registry, "read");
		this.skips = Counter.builder("bridge.cluster.resyncs")
			.description("Times a replica went on where the link's shared stream had gone on without it")
			.tag("link", link)
			.register(registry);
		this.skipped = Counter.builder("bridge.cluster.frames.skipped")
			.description("Frames that left the link's shared stream before this replica read them")
			.tag("link", link)
			.register(registry);
		hub.refuseSubscribers("This replica has not read link " + link + "'s stream from Redis yet");
	}

	/** The latest change of state the stream told, or {@code null} before one. */
	@Nullable StateEntry latestState() {
		return this.latestState;
	}

	/** Whether it has joined the link's stream, and read it since without a fault. */
	boolean joined() {
		return this.joined;
	}

	void start() {
		this.thread.start();
	}

	void stop() {
		this.thread.stop();
	}

	private void run() {
		String lastId = null;
		long pause = 100;
		while (this.thread.running()) {
			try (RedisConnection connection = this.connections.getConnection()) {
				// after every fault too: Redis may have come back without the stream, or with a new one
				lastId = join(lastId);
				while (this.thread.running()) {
					List<ByteRecord> records = connection.streamCommands()
						.xRead(StreamReadOptions.empty().count(READ_COUNT).block(this.block),
								StreamOffset.create(this.streamKey, ReadOffset.from(lastId)));
					this.faults.recovered();
					this.joined = true;
					pause = 100;
					if (records != null) {
						for (ByteRecord record : records) {
							lastId = take(record);
						}
					}
				}
			}
			catch (RuntimeException ex) {
				if (!this.thread.running()) {
					return;
				}
				this.readErrors.increment();
				this.faults.failed("reading the stream of link " + this.link, ex);
				if (this.joined) {
					this.joined = false;
					// until Redis answers, this replica cannot tell how the link stands: its subscribers are told so
					this.hub.linkStateChanged(new LinkStateChangedEvent(this.link, LinkState.DISCONNECTED, Instant.now(),
							"This replica lost Redis (" + ClusterFaults.describe(ex) + ") and cannot tell how the link "
									+ "stands until it answers again", null));
				}
				try {
					Thread.sleep(pause);
				}
				catch (InterruptedException interrupted) {
					return;
				}
				pause = Math.min(2000, pause * 2);
			}
		}
	}

	/**
	 * Starts the hub where the stream is, unless it is there already: in its run, with the
	 * history it still holds, and the link's latest state. Returns the id to read on from.
	 * @param lastId the id of the last entry read, {@code null} before the first
	 */
	private String join(@Nullable String lastId) {
		LinkMeta.Place place = this.meta.join();
		long after = Math.max(0, place.seq() - this.history);
		boolean sameRun = place.run().equals(this.hub.run());
		if (sameRun && lastId != null && this.hub.latestSeq() >= after) {
			// the stream this replica read: on from where it left off, and whatever it missed told by the entries
			return lastId;
		}
		if (!sameRun) {
			this.hub.restart(place.run(), after);
		}
		else if (this.hub.latestSeq() < after) {
			skip(this.hub.latestSeq(), after);
		}
		else {
			after = this.hub.latestSeq();
		}
		if (place.state() != null) {
			state(place.state());
		}
		this.hub.refuseSubscribers(null);
		logger.info("Link " + this.link + ": joined its shared stream, run " + place.run() + ", at frame " + place.seq());
		return after + "-0";
	}

	/** Hands one entry to the hub, a change of state or the frames it packs; returns its id. */
	private String take(ByteRecord record) {
		String id = record.getId().getValue();
		byte[] value = record.getValue().values().iterator().next();
		if (!id.endsWith("-0")) {
			state(StateEntry.decode(value));
			return id;
		}
		long last = Long.parseLong(id, 0, id.length() - 2, 10);
		long latest = this.hub.latestSeq();
		if (last <= latest) {
			return id;
		}
		List<byte[]> frames = PackedFrames.unpack(value);
		long first = last - frames.size() + 1;
		if (first > latest + 1) {
			skip(latest, first - 1);
			latest = first - 1;
		}
		for (int i = (int) (latest + 1 - first); i < frames.size(); i++) {
			this.hub.publish(first + i, frames.get(i));
		}
		return id;
	}

	/** Frames after {@code latest} up to {@code to} left the stream before this replica read them. */
	private void skip(long latest, long to) {
		this.skips.increment();
		this.skipped.increment(to - latest);
		logger.warn("Link " + this.link + ": frames " + (latest + 1) + " to " + to + " left the shared stream before "
				+ "this replica read them; its subscribers are told so, and go on after them");
		this.hub.skip(to);
	}

	private void state(StateEntry entry) {
		this.latestState = entry;
		this.hub.linkStateChanged(entry.event(this.link));
	}

}
