package io.tcpbridge.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpConnection;

/**
 * A link's state and what it knows of its connection, moved only by what happens to the
 * link: the operator's start, stop and reconnect, and Spring Integration's connection
 * events. One lock, its own; nothing here waits, writes or closes a socket: each step says
 * what is left for the link to do. Every change is told to the listeners, in order, with the
 * time of the injected clock.
 *
 * <pre>
 *            start                open                  close, or presumed dead
 *  STOPPED ---------> CONNECTING ------> CONNECTED ---------------------------> DISCONNECTED
 *     ^                    ^  |                                                  |  |
 *     |                    |  +-- attempt failed ---------------------------------+  |
 *     |                    +------------------- the backoff is over -----------------+
 *     +------------------------------------ stop, from any state ---------------------+
 * </pre>
 */
final class LinkStateMachine {

	static final String PEER_CLOSED = "The upstream closed the connection";

	private final String name;

	private final Clock clock;

	private final ReconnectSchedule schedule;

	private final LinkTraffic traffic;

	/** Lets the connection factory open a socket, or not: only the link's own attempts connect. */
	private final Consumer<Boolean> allowConnect;

	/** Starts the watchdogs of a new connection. */
	private final Function<TcpConnection, ConnectionWatchdogs> watch;

	/** Runs a connection attempt, when the schedule says. */
	private final Runnable attempt;

	private final List<Consumer<LinkStateChangedEvent>> listeners = new CopyOnWriteArrayList<>();

	// guarded by this

	private LinkState state = LinkState.STOPPED;

	private @Nullable TcpConnection connection;

	private @Nullable Instant connectedSince;

	private LinkStatus.@Nullable LinkError lastError;

	private long reconnectAttempts;

	/** Why the link is closing its connection itself, while it does. */
	private @Nullable CloseCause closing;

	private @Nullable ConnectionWatchdogs watchdogs;

	LinkStateMachine(String name, Clock clock, ReconnectSchedule schedule, LinkTraffic traffic,
			Consumer<Boolean> allowConnect, Function<TcpConnection, ConnectionWatchdogs> watch, Runnable attempt) {
		this.name = name;
		this.clock = clock;
		this.schedule = schedule;
		this.traffic = traffic;
		this.allowConnect = allowConnect;
		this.watch = watch;
		this.attempt = attempt;
	}

	void onChange(Consumer<LinkStateChangedEvent> listener) {
		this.listeners.add(listener);
	}

	/** STOPPED to CONNECTING, with a fresh backoff. @return whether it was stopped, and the adapter must start */
	synchronized boolean start() {
		if (this.state != LinkState.STOPPED) {
			return false;
		}
		this.schedule.restart();
		this.reconnectAttempts = 0;
		this.closing = null;
		beginAttempt();
		return true;
	}

	/** To STOPPED, from any state. @return whether it was running, and the adapter must stop */
	synchronized boolean stop() {
		if (this.state == LinkState.STOPPED) {
			return false;
		}
		this.schedule.cancel();
		stopWatching();
		this.allowConnect.accept(false);
		change(LinkState.STOPPED, null);
		return true;
	}

	/**
	 * A new connection now: with none, an attempt at once.
	 * @return the connection for the link to close, or {@code null}
	 * @throws LinkStoppedException when the link is stopped
	 */
	synchronized @Nullable TcpConnection reconnect(String label) {
		if (this.state == LinkState.STOPPED) {
			throw new LinkStoppedException(this.name, label + " is stopped");
		}
		this.schedule.restart();
		if (this.connection == null) {
			if (this.state == LinkState.DISCONNECTED) {
				this.schedule.now(this.attempt);
			}
			return null;
		}
		this.closing = CloseCause.RECONNECT;
		return this.connection;
	}

	/** The backoff is over: DISCONNECTED to CONNECTING. @return whether to connect */
	synchronized boolean attemptDue() {
		if (this.state != LinkState.DISCONNECTED) {
			return false;
		}
		beginAttempt();
		return true;
	}

	/**
	 * A connection opened, and its on-connect frames were written, or failed.
	 * @return whether the link keeps it; if not, the link closes it
	 */
	synchronized boolean opened(TcpConnection opened, @Nullable String preambleFailure) {
		if (this.state == LinkState.STOPPED) {
			// an attempt that was under way when the link was stopped
			return false;
		}
		if (preambleFailure != null) {
			attemptFailed(preambleFailure);
			return false;
		}
		if (!opened.isOpen()) {
			return false;
		}
		this.traffic.attempted(true);
		this.allowConnect.accept(false);
		this.schedule.cancel();
		this.closing = null;
		this.connection = opened;
		this.connectedSince = this.clock.instant();
		this.reconnectAttempts = 0;
		this.watchdogs = this.watch.apply(opened);
		change(LinkState.CONNECTED, null);
		return true;
	}

	/** An attempt failed: DISCONNECTED, and the next after the backoff. */
	synchronized void failed(String reason) {
		if (this.state != LinkState.STOPPED) {
			attemptFailed(reason);
		}
	}

	/**
	 * The connection's reader failed: the link's error, unless the link is closing it itself,
	 * which makes the reader fail too.
	 */
	synchronized void readerFailed(Object source, String error) {
		if (source == this.connection && this.state != LinkState.STOPPED && this.closing == null) {
			recordError(error);
		}
	}

	/** A watchdog's verdict. @return whether the connection is still the link's, for the link to close */
	synchronized boolean presumeDead(TcpConnection watched, CloseCause cause) {
		if (watched != this.connection) {
			return false;
		}
		this.closing = cause;
		recordError(cause.reason());
		return true;
	}

	/** A connection closed: if the link's, DISCONNECTED, and the next attempt when its cause says. */
	synchronized void closed(Object source) {
		if (source != this.connection) {
			return;
		}
		Instant since = this.connectedSince;
		this.connection = null;
		this.connectedSince = null;
		stopWatching();
		if (this.state == LinkState.STOPPED) {
			return;
		}
		CloseCause cause = this.closing;
		this.closing = null;
		if (cause instanceof CloseCause.Reconnect) {
			this.schedule.now(this.attempt);
		}
		else {
			this.schedule.afterLoss(this.attempt, Duration.between(since, this.clock.instant()));
		}
		change(LinkState.DISCONNECTED, (cause != null) ? cause.reason() : errorSince(since));
	}

	synchronized void recordError(String message) {
		this.lastError = new LinkStatus.LinkError(message, this.clock.instant());
	}

	/** The connection writes go to, while connected. */
	synchronized @Nullable TcpConnection connected() {
		return (this.state == LinkState.CONNECTED) ? this.connection : null;
	}

	synchronized LinkState state() {
		return this.state;
	}

	/** The state and what goes with it, at one moment. */
	synchronized Snapshot snapshot() {
		return new Snapshot(this.state, this.connectedSince, this.lastError, this.reconnectAttempts,
				this.schedule.nextAttemptAt(), this.schedule.currentDelay());
	}

	/** The wait until the next attempt, at the clock's now; zero with none due. */
	Duration retryAfter(Snapshot snapshot) {
		if (snapshot.nextAttemptAt() == null) {
			return Duration.ZERO;
		}
		Duration wait = Duration.between(this.clock.instant(), snapshot.nextAttemptAt());
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private void attemptFailed(String reason) {
		this.traffic.attempted(false);
		this.allowConnect.accept(false);
		recordError(reason);
		this.schedule.afterFailure(this.attempt);
		change(LinkState.DISCONNECTED, reason);
	}

	private void beginAttempt() {
		this.allowConnect.accept(true);
		this.reconnectAttempts++;
		this.schedule.attemptStarted();
		change(LinkState.CONNECTING, null);
	}

	/** The error recorded while the lost connection was up; else the peer closed it cleanly. */
	private String errorSince(Instant since) {
		LinkStatus.LinkError error = this.lastError;
		if (error != null && !error.at().isBefore(since)) {
			return error.message();
		}
		recordError(PEER_CLOSED);
		return PEER_CLOSED;
	}

	private void stopWatching() {
		if (this.watchdogs != null) {
			this.watchdogs.cancel();
			this.watchdogs = null;
		}
	}

	private void change(LinkState newState, @Nullable String reason) {
		LinkState old = this.state;
		this.state = newState;
		if (old != newState) {
			LinkStateChangedEvent event = new LinkStateChangedEvent(this.name, newState, this.clock.instant(), reason,
					(newState == LinkState.DISCONNECTED) ? this.schedule.pendingDelay() : null);
			this.listeners.forEach((listener) -> listener.accept(event));
		}
	}

	/**
	 * @param state where the link stands
	 * @param connectedSince when the current connection opened, while connected
	 * @param lastError the most recent fault, kept after it recovers
	 * @param reconnectAttempts attempts since the link was last connected
	 * @param nextAttemptAt when the next attempt is due, while disconnected
	 * @param backoffDelay the wait chosen after the latest failure
	 */
	record Snapshot(LinkState state, @Nullable Instant connectedSince, LinkStatus.@Nullable LinkError lastError,
			long reconnectAttempts, @Nullable Instant nextAttemptAt, Duration backoffDelay) {
	}

}
