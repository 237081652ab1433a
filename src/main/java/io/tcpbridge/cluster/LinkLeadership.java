package io.tcpbridge.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.links.Link;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * Which replica holds one link: the one holding its lock in Redis, taken and renewed by
 * Spring Integration's {@link LockRegistryLeaderInitiator}. Only the leader connects to the
 * upstream and appends to the link's stream; a leader that can no longer renew its lock
 * closes the connection and appends no more.
 *
 * <p>A new leader tells the subscribers of the gap: when the last state in the stream is
 * another replica's and says connected, that replica was lost, and the stream says so before
 * the new connection's own states. A leader that shuts down closes its connection first,
 * appends that it hands the link over, then lets go of the lock, so that another replica
 * takes over at once; so does one that holds more than its share ({@link LinkSpread}).
 */
final class LinkLeadership implements Candidate {

	private static final Log logger = LogFactory.getLog(LinkLeadership.class);

	private static final Duration HANDOVER = Duration.ofSeconds(2);

	private final Link link;

	private final LinkMeta meta;

	private final StreamAppender appender;

	private final ClusterNode node;

	private final LockRegistryLeaderInitiator initiator;

	private final AtomicInteger leader = new AtomicInteger();

	private final Counter failovers;

	/** Why this replica hands the link over, while it does; {@code null} otherwise. */
	private volatile @Nullable String handover;

	/** Counted down once this replica no longer holds the link. */
	private volatile CountDownLatch released = new CountDownLatch(0);

	LinkLeadership(Link link, LinkMeta meta, StreamAppender appender, ClusterNode node, LockRegistry<?> locks,
			Duration lockTtl, MeterRegistry registry) {
		this.link = link;
		this.meta = meta;
		this.appender = appender;
		this.node = node;
		this.initiator = new LockRegistryLeaderInitiator(locks, this);
		// renewed four times within its time to live, at most twice a second
		this.initiator.setHeartBeatMillis(Math.min(500, lockTtl.toMillis() / 4));
		this.initiator.setTaskExecutor(new SimpleAsyncTaskExecutor("cluster-lead-" + link.name() + "-"));
		Gauge.builder("bridge.cluster.leader", this.leader, AtomicInteger::get)
			.description("1 on the replica that holds the link, 0 on the others")
			.tag("link", link.name())
			.register(registry);
		this.failovers = Counter.builder("bridge.cluster.failovers")
			.description("Times this replica took a link over from another")
			.tag("link", link.name())
			.register(registry);
	}

	@Override
	public String getRole() {
		return this.meta.keys().lockName();
	}

	@Override
	public String getId() {
		return this.node.id();
	}

	/** Whether it competes for the link, or holds it. */
	boolean competes() {
		return this.initiator.isRunning();
	}

	boolean leads() {
		return this.leader.get() == 1;
	}

	@Override
	public void onGranted(Context context) {
		String owner = this.meta.lockOwner();
		if (owner == null) {
			throw new IllegalStateException("Link " + this.link.name() + "'s lock was granted and is gone already");
		}
		LinkMeta.Place place = this.meta.join();
		this.appender.lead(owner, place.run());
		StateEntry last = place.state();
		if (last != null && !last.node().equals(this.node.id())) {
			this.failovers.increment();
			if (last.state() == LinkState.CONNECTED || last.state() == LinkState.CONNECTING) {
				this.appender.state(new StateEntry(LinkState.DISCONNECTED, Instant.now(), this.node.id(), this.node.url(),
						"Replica " + last.node() + ", which held the link, was lost; replica " + this.node.id()
								+ " holds it now"));
			}
		}
		this.released = new CountDownLatch(1);
		this.leader.set(1);
		boolean keptStopped = this.meta.keptStopped();
		logger.info("Link " + this.link.name() + ": this replica, " + this.node.id() + ", holds the link now"
				+ (keptStopped ? "; it is kept stopped" : ""));
		if (!keptStopped) {
			this.link.upstream().start();
		}
	}

	@Override
	public void onRevoked(Context context) {
		boolean led = this.leader.getAndSet(0) == 1;
		this.link.upstream().stop();
		this.appender.follow();
		this.released.countDown();
		if (led && this.handover == null) {
			logger.warn("Link " + this.link.name() + ": this replica, " + this.node.id()
					+ ", could not renew its hold on the link and has closed its connection");
		}
	}

	/** What the stream is told of a change of the link's state on this replica. */
	StateEntry entry(LinkStateChangedEvent event) {
		String why = this.handover;
		if (event.state() == LinkState.STOPPED && why != null) {
			return new StateEntry(LinkState.DISCONNECTED, event.at(), this.node.id(), this.node.url(), why);
		}
		return StateEntry.of(event, this.node);
	}

	/** Applies an operator's intent, kept in Redis, while this replica holds the link. */
	void applyIntent() {
		if (leads()) {
			if (this.meta.keptStopped()) {
				this.link.upstream().stop();
			}
			else {
				this.link.upstream().start();
			}
		}
	}

	/** Competes for the link, and holds it once granted. */
	void start() {
		this.handover = null;
		this.initiator.start();
	}

	/** Competes no more; a link it holds, it hands over as at shutdown. */
	void stop() {
		handOver("Replica " + this.node.id() + " is shutting down and hands the link over");
	}

	/**
	 * Closes the connection, tells the stream why, and lets go of the lock, for another
	 * replica to take at once; competes for the link no more.
	 */
	void handOver(String why) {
		this.handover = why;
		if (leads()) {
			this.link.upstream().stop();
			this.appender.flush(HANDOVER);
		}
		// the initiator lets go of the lock on its own thread
		this.initiator.stop();
		try {
			this.released.await(HANDOVER.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
