package io.tcpbridge.stream;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;

/**
 * Where every frame from the upstream goes: it gets its id and joins the {@link FrameLog},
 * which every subscriber reads from a place of its own, on the thread that read it.
 * Subscribing and publishing take the same lock, so a subscriber's replay and its live
 * frames meet without a gap or a duplicate. On a schedule of its own it sends keep-alives and closes subscribers whose
 * sockets stalled.
 */
public class FrameHub implements Subscriber.Listener {

	private static final Subscriber[] NONE = {};

	private final String link;

	private final StreamProperties properties;

	private final DeliveryThreads delivery;

	private final Object lock = new Object();

	// guarded by lock

	private String run;

	private FrameLog log;

	private long latestSeq;

	private Notice.Connection connection;

	/** Told of every frame once it is published, on the reading thread, in order. */
	private volatile Consumer<Frame> published = (frame) -> {
	};

	private volatile Subscriber[] subscribers = NONE;

	/** Why new subscribers are turned away, while they are. */
	private volatile @Nullable String refusal;

	private final SubscriberMeters meters;

	private final TaskScheduler scheduler;

	private final List<ScheduledFuture<?>> schedules = new ArrayList<>();

	/**
	 * @param link the name of the link whose frames it serves; in its frames' ids, but for
	 * the link named {@code default}
	 */
	public FrameHub(String link, StreamProperties properties, DeliveryThreads delivery, TaskScheduler scheduler,
			MeterRegistry meterRegistry) {
		this.link = link;
		this.properties = properties;
		this.delivery = delivery;
		this.scheduler = scheduler;
		this.meters = new SubscriberMeters(link, meterRegistry);
		this.run = newRun(link);
		this.log = newLog(0);
		// the link starts stopped, and tells every change from there
		this.connection = new Notice.Connection(LinkState.STOPPED, Instant.now(), null);
	}

	/**
	 * Numbers the frame, adds it to the log, and wakes every subscriber that waited for it;
	 * lets go of the frames no subscriber and not the history needs any more.
	 */
	public void publish(byte[] payload) {
		Frame frame;
		synchronized (this.lock) {
			frame = add(this.latestSeq + 1, payload);
		}
		this.published.accept(frame);
	}

	/**
	 * Adds a frame numbered elsewhere, by the cluster's shared stream, as {@link #publish(byte[])}
	 * does one of its own.
	 * @param seq its number: one after the latest, or where {@link #restart} put the hub
	 * @throws IllegalStateException when it is not the next
	 */
	public void publish(long seq, byte[] payload) {
		Frame frame;
		synchronized (this.lock) {
			if (seq != this.latestSeq + 1) {
				throw new IllegalStateException("Frame " + seq + " is not the next of link " + this.link + ", "
						+ (this.latestSeq + 1));
			}
			frame = add(seq, payload);
		}
		this.published.accept(frame);
	}

	// under lock
	private Frame add(long seq, byte[] payload) {
		Frame frame = new Frame(seq, this.run, payload, System.nanoTime());
		this.latestSeq = seq;
		this.log.add(frame);
		long oldestRead = seq + 1;
		for (Subscriber subscriber : this.subscribers) {
			subscriber.published(seq);
			oldestRead = Math.min(oldestRead, subscriber.position());
		}
		this.log.release(oldestRead);
		return frame;
	}

	/**
	 * Numbers the frames from here on as the cluster's shared stream does: in its run, after
	 * {@code after}, with an empty history; where the stream began a new run, or this hub
	 * joins it for the first time. The subscribers it had are closed
	 * ({@link CloseReason#RESYNCED}): they come back with their last ids, and are told what
	 * they missed.
	 */
	public void restart(String run, long after) {
		Subscriber[] closing;
		synchronized (this.lock) {
			this.run = run;
			this.log = newLog(after);
			this.latestSeq = after;
			closing = this.subscribers;
		}
		for (Subscriber subscriber : closing) {
			subscriber.end(CloseReason.RESYNCED, "the link's shared stream began a new run");
		}
	}

	/**
	 * Goes on after frame {@code to}, in the same run: the frames from the latest up to it
	 * will never come to this replica, which fell further behind the cluster's shared stream
	 * than the stream is long. Unlike {@link #restart}, the subscribers stay: each is told
	 * what it missed, as a gap ({@code replica-behind}), before the frames after it.
	 */
	public void skip(long to) {
		synchronized (this.lock) {
			if (to <= this.latestSeq) {
				return;
			}
			for (Subscriber subscriber : this.subscribers) {
				subscriber.skipped(to);
			}
			this.log.skip(to);
			this.latestSeq = to;
		}
	}

	private FrameLog newLog(long after) {
		return new FrameLog(this.properties.historySize(), this.properties.historyMaxBytes().toBytes(),
				this.properties.subscriberQueue(), after);
	}

	/**
	 * Turns new subscribers away, saying why, until called with {@code null}: while the
	 * frames' numbers are not this hub's own to give, and it does not know them yet.
	 */
	public void refuseSubscribers(@Nullable String why) {
		this.refusal = why;
	}

	/** The number of the latest frame. */
	public long latestSeq() {
		synchronized (this.lock) {
			return this.latestSeq;
		}
	}

	/**
	 * Tells {@code listener} of every frame once it is published, with its id, on the thread
	 * that read it and in the order they came: how requests find their replies. One
	 * listener; it must not wait.
	 */
	public void onPublished(Consumer<Frame> listener) {
		this.published = listener;
	}

	/**
	 * Adds a subscriber. Its stream starts with the link's current state; then, when it
	 * comes back with the id of the last frame it got, every later frame still in history,
	 * after a {@link Notice.Gap} for those that are not; then the live frames.
	 * @param lastEventId the id of the last frame the subscriber has, or {@code null}
	 * @throws IllegalArgumentException when {@code lastEventId} is not an id of this bridge
	 * or names a frame this run has not sent yet
	 * @throws TooManySubscribersException when it already has as many as it may serve
	 * @throws StreamUnavailableException while it turns subscribers away ({@link #refuseSubscribers})
	 */
	public Subscriber subscribe(SubscriberSink sink, @Nullable String lastEventId) {
		EventId last = EventId.parseOrNull(lastEventId);
		synchronized (this.lock) {
			String refused = this.refusal;
			if (refused != null) {
				throw new StreamUnavailableException(refused);
			}
			if (this.subscribers.length >= this.properties.maxSubscribers()) {
				throw new TooManySubscribersException(this.properties.maxSubscribers());
			}
			List<Notice> start = new ArrayList<>();
			start.add(this.connection);
			long from = this.latestSeq + 1;
			if (last != null) {
				if (!last.link().equals(this.link)) {
					throw new IllegalArgumentException("Frame '" + lastEventId + "' is one of link " + last.link()
							+ "'s, not of link " + this.link + "'s: ids of one link mean nothing to another");
				}
				boolean thisRun = last.run().equals(this.run);
				if (thisRun && last.seq() > this.latestSeq) {
					throw new IllegalArgumentException("Frame '" + lastEventId + "' has not been sent yet; the latest is '"
							+ EventId.format(this.run, this.latestSeq) + "'");
				}
				FrameLog.Replay replay = this.log.after(thisRun ? last.seq() : 0);
				if (!thisRun) {
					start.add(new Notice.Gap(replay.missed(), Notice.Gap.RESTARTED));
				}
				else if (replay.missed() > 0) {
					start.add(new Notice.Gap(replay.missed(), Notice.Gap.EVICTED));
				}
				from = replay.from();
			}
			SubscriberCursor cursor = new SubscriberCursor(this.log, this.properties.subscriberQueue(),
					this.properties.slowConsumer(), from, this.latestSeq + 1, start, this.meters::dropped);
			Subscriber subscriber = new Subscriber(this.link, sink, cursor, this.delivery, this,
					this.meters.lag(sink.transport()));
			Subscriber[] grown = Arrays.copyOf(this.subscribers, this.subscribers.length + 1);
			grown[grown.length - 1] = subscriber;
			this.subscribers = grown;
			// once it is a subscriber: one that cannot start leaves at once
			subscriber.start();
			return subscriber;
		}
	}

	@Override
	public void ended(Subscriber subscriber, CloseReason reason) {
		synchronized (this.lock) {
			this.subscribers = Arrays.stream(this.subscribers).filter((s) -> s != subscriber).toArray(Subscriber[]::new);
		}
		this.meters.closed(subscriber.transport(), reason);
	}

	/** Tells every subscriber of the link's new state, in order with its frames. */
	public void linkStateChanged(LinkStateChangedEvent event) {
		Notice.Connection notice = new Notice.Connection(event.state(), event.at(), event.reason());
		synchronized (this.lock) {
			this.connection = notice;
		}
		notifyAll(notice);
	}

	/** Tells every subscriber, in order with its frames. */
	void notifyAll(Notice notice) {
		for (Subscriber subscriber : this.subscribers) {
			subscriber.notify(notice);
		}
	}

	/** Subscribers by transport: {@code sse}, {@code websocket}. */
	public Map<String, Integer> subscriberCounts() {
		Map<SubscriberSink.Transport, Integer> counts = new EnumMap<>(SubscriberSink.Transport.class);
		for (SubscriberSink.Transport transport : SubscriberSink.Transport.values()) {
			counts.put(transport, 0);
		}
		for (Subscriber subscriber : this.subscribers) {
			counts.merge(subscriber.transport(), 1, Integer::sum);
		}
		Map<String, Integer> byTag = new LinkedHashMap<>();
		counts.forEach((transport, count) -> byTag.put(transport.tag(), count));
		return byTag;
	}

	/** Frames lost by subscribers that did not keep up, since start. */
	public long slowConsumerDrops() {
		return this.meters.slowConsumerDrops();
	}

	/** A run for the ids of a link's frames that no earlier run has had: its start time, after the link's name. */
	public static String newRun(String link) {
		return EventId.runOf(link, System.currentTimeMillis());
	}

	/** The run part of every id this bridge gives in this run. */
	public String run() {
		synchronized (this.lock) {
			return this.run;
		}
	}

	/**
	 * Closes every subscriber whose socket has taken nothing of a write for the stall
	 * timeout: it costs its write and its connection's buffers, and it would cost them for
	 * as long as its client does not read.
	 */
	void abortStalled() {
		long now = System.nanoTime();
		long timeout = this.properties.stallTimeout().toNanos();
		for (Subscriber subscriber : this.subscribers) {
			subscriber.abortIfStalled(now, timeout);
		}
	}

	/** Starts the keep-alives and the search for stalled subscribers. */
	public synchronized void start() {
		Duration heartbeat = this.properties.heartbeatInterval();
		this.schedules.add(this.scheduler.scheduleAtFixedRate(() -> notifyAll(new Notice.Heartbeat()),
				Instant.now().plus(heartbeat), heartbeat));
		Duration stallChecks = stallCheckInterval(this.properties.stallTimeout());
		this.schedules.add(this.scheduler.scheduleAtFixedRate(this::abortStalled, Instant.now().plus(stallChecks),
				stallChecks));
	}

	/** Often enough that a stalled subscriber is closed within a tenth of the timeout after it, and at most each second. */
	static Duration stallCheckInterval(Duration stallTimeout) {
		Duration tenth = stallTimeout.dividedBy(10);
		return (tenth.compareTo(Duration.ofSeconds(1)) < 0) ? tenth : Duration.ofSeconds(1);
	}

	/**
	 * Closes every stream first, so that the web server's graceful shutdown need not wait for
	 * them; one whose client does not read is dropped at once.
	 */
	public synchronized void stop() {
		this.schedules.forEach((schedule) -> schedule.cancel(false));
		this.schedules.clear();
		for (Subscriber subscriber : this.subscribers) {
			subscriber.end(CloseReason.SHUTDOWN, "the bridge is shutting down");
		}
	}

	public synchronized boolean isRunning() {
		return !this.schedules.isEmpty();
	}

}
