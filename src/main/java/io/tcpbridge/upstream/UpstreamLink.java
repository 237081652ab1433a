package io.tcpbridge.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.framing.FrameTooLargeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionFailedEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.integration.ip.tcp.outbound.TcpSendingMessageHandler;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.scheduling.TaskScheduler;

/**
 * One link to an upstream: its state, the operator's start, stop and reconnect, and the
 * write path. Built by {@link UpstreamLinkFactory}, with the connection events of its own
 * connection factory only.
 *
 * <p>The state follows Spring Integration's connection events. Whenever a connection is lost
 * or an attempt fails, the {@link ReconnectSchedule} says when to try again. Writes are
 * refused at once while the link is down: the connection factory would otherwise connect on
 * the caller's thread and hold it for the whole connect timeout.
 */
public class UpstreamLink {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private static final String PEER_CLOSED = "The upstream closed the connection";

	private final String name;

	/** Where its properties are, {@code bridge.upstream} or {@code bridge.links.<name>.upstream}. */
	private final String settings;

	/** How log lines and messages name it: {@code Link plc1 (10.0.0.7:502)}. */
	private final String label;

	private final UpstreamProperties properties;

	private final FrameCodec codec;

	private final UpstreamConnectionFactory connectionFactory;

	private final TcpReceivingChannelAdapter inbound;

	private final TcpSendingMessageHandler outbound;

	private final Clock clock;

	private final ReconnectSchedule schedule;

	/** Keeps a start and a stop from interleaving their state change and the adapter's. */
	private final ReentrantLock lifecycle = new ReentrantLock();

	private final TaskScheduler scheduler;

	private final List<byte[]> onConnect;

	private final LinkTraffic traffic = new LinkTraffic();

	private final LinkWrites writes;

	private final DroppedFrames dropped;

	// guarded by this

	private LinkState state = LinkState.STOPPED;

	private @Nullable TcpConnection connection;

	private @Nullable Instant connectedSince;

	private LinkStatus.@Nullable LinkError lastError;

	private long reconnectAttempts;

	/** Why the link is closing its connection itself, while it does. */
	private @Nullable CloseCause closing;

	private @Nullable ConnectionWatchdogs watchdogs;

	/** Told of every change of state, under the link's lock, in order. */
	private final List<Consumer<LinkStateChangedEvent>> stateListeners = new CopyOnWriteArrayList<>();

	private final PublishSubscribeChannel frames;

	UpstreamLink(String name, String settings, UpstreamProperties properties, FrameCodec codec,
			UpstreamConnectionFactory upstreamConnectionFactory, TcpReceivingChannelAdapter upstreamInbound,
			TcpSendingMessageHandler upstreamOutbound, TaskScheduler upstreamScheduler,
			PublishSubscribeChannel upstreamFrames, ApplicationEventPublisher events, MeterRegistry meterRegistry,
			Clock clock) {
		this.name = name;
		this.clock = clock;
		this.settings = settings;
		this.label = "Link " + name + " (" + properties.address() + ")";
		this.properties = properties;
		this.frames = upstreamFrames;
		this.codec = codec;
		this.connectionFactory = upstreamConnectionFactory;
		this.inbound = upstreamInbound;
		this.outbound = upstreamOutbound;
		this.schedule = new ReconnectSchedule(properties.reconnect(), upstreamScheduler, this.clock);
		this.scheduler = upstreamScheduler;
		this.onConnect = properties.onConnectFrames();
		checkConfiguredFrames(properties, codec);
		codec.onSkipped(this::skippedOversize);
		upstreamFrames.subscribe((message) -> this.traffic.received((byte[]) message.getPayload(), this.clock.millis()));
		this.writes = new LinkWrites(name, meterRegistry);
		this.dropped = new DroppedFrames(this.label, this.traffic);
		this.stateListeners.add(new LinkStateLogger(this.label, codec)::log);
		this.stateListeners.add(events::publishEvent);
	}

	/** Frames from the configuration must travel in the framing: fail start-up, naming the property, if not. */
	private void checkConfiguredFrames(UpstreamProperties properties, FrameCodec codec) {
		List<byte[]> onConnect = properties.onConnectFrames();
		for (int i = 0; i < onConnect.size(); i++) {
			check(codec, onConnect.get(i), this.settings + ".on-connect[" + i + "]");
		}
		if (properties.heartbeat().enabled()) {
			check(codec, properties.heartbeat().frame(), this.settings + ".heartbeat.payload");
		}
	}

	private static void check(FrameCodec codec, byte[] frame, String property) {
		try {
			codec.check(frame);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + " cannot be sent in " + codec + ": " + ex.getMessage(), ex);
		}
	}

	/** The link's name, as its routes, meters and logs give it. */
	public String name() {
		return this.name;
	}

	/** Every frame received, on the thread that read it, in order. */
	public PublishSubscribeChannel frames() {
		return this.frames;
	}

	/**
	 * Tells {@code listener} of every change of state, under the link's lock and in order:
	 * it must not wait, nor call the link back.
	 */
	public void onStateChanged(Consumer<LinkStateChangedEvent> listener) {
		this.stateListeners.add(listener);
	}

	/** Opens the link and keeps it open, reconnecting whenever it is lost. */
	public void start() {
		this.lifecycle.lock();
		try {
			synchronized (this) {
				if (this.state != LinkState.STOPPED) {
					return;
				}
				this.schedule.restart();
				this.reconnectAttempts = 0;
				this.closing = null;
				beginAttempt();
			}
			// the adapter's first attempt runs on the scheduler thread
			this.inbound.start();
		}
		finally {
			this.lifecycle.unlock();
		}
	}

	/** Closes the link and keeps it closed until {@link #start()}. */
	public void stop() {
		this.lifecycle.lock();
		try {
			synchronized (this) {
				if (this.state == LinkState.STOPPED) {
					return;
				}
				this.schedule.cancel();
				stopWatching();
				this.connectionFactory.allowConnect(false);
				changeState(LinkState.STOPPED, null);
			}
			this.inbound.stop();
		}
		finally {
			this.lifecycle.unlock();
		}
	}

	public synchronized boolean isRunning() {
		return this.state != LinkState.STOPPED;
	}

	/** Replaces the connection now; or, with none, tries at once instead of waiting. */
	public void reconnect() {
		TcpConnection toClose;
		synchronized (this) {
			if (this.state == LinkState.STOPPED) {
				throw new LinkStoppedException(this.name, this.label + " is stopped");
			}
			this.schedule.restart();
			toClose = this.connection;
			if (toClose == null) {
				if (this.state == LinkState.DISCONNECTED) {
					this.schedule.now(this::attempt);
				}
				return;
			}
			this.closing = CloseCause.RECONNECT;
		}
		toClose.close();
	}

	/**
	 * Writes one frame, with the framing's delimiter or header, and returns once it is handed
	 * to the socket.
	 * @throws io.tcpbridge.framing.FrameRejectedException when the frame cannot travel in
	 * this framing
	 * @throws UpstreamUnavailableException when the link is not connected or the write fails
	 */
	public void send(byte[] frame) {
		this.codec.check(frame);
		if (!isConnected()) {
			throw unavailable("is not connected (" + status().state() + ")");
		}
		try {
			this.writes.write(() -> this.outbound.handleMessage(new GenericMessage<>(frame)));
		}
		catch (MessagingException ex) {
			throw unavailable("failed the write: " + describe(ex));
		}
		this.traffic.sent(frame, this.clock.millis());
	}

	private UpstreamUnavailableException unavailable(String what) {
		LinkStatus status = status();
		Duration retryAfter = (status.nextAttemptAt() != null)
				? Duration.between(this.clock.instant(), status.nextAttemptAt()) : Duration.ZERO;
		return new UpstreamUnavailableException("The upstream of link " + this.name + ", " + this.properties.address()
				+ ", " + what, status,
				retryAfter.isNegative() ? Duration.ZERO : retryAfter);
	}

	/** The link's counters, read without a lock. */
	public LinkTraffic traffic() {
		return this.traffic;
	}

	public synchronized boolean isConnected() {
		return this.state == LinkState.CONNECTED;
	}

	public synchronized LinkStatus status() {
		return new LinkStatus(this.name, this.state, this.properties.host(), this.properties.port(),
				this.codec.mode().configName(), this.codec.maxFrameSize(), this.connectedSince, this.lastError,
				this.reconnectAttempts, this.schedule.nextAttemptAt(), this.schedule.currentDelay(),
				this.traffic.lastFrameIn(),
				this.traffic.lastFrameOut(), this.traffic.framesIn(), this.traffic.bytesIn(), this.traffic.framesOut(),
				this.traffic.bytesOut(), this.traffic.framesDropped());
	}

	/** What its connection factory tells of its connections and attempts, on the thread where it happened. */
	void connectionEvent(Object event) {
		if (event instanceof TcpConnectionOpenEvent open) {
			onOpen(open);
		}
		else if (event instanceof TcpConnectionCloseEvent close) {
			onClose(close);
		}
		else if (event instanceof TcpConnectionExceptionEvent exception) {
			onException(exception);
		}
		else if (event instanceof TcpConnectionFailedEvent failed) {
			onFailed(failed);
		}
	}

	/**
	 * A connection opened: on its reading thread, before it reads, write the on-connect
	 * frames; only then is the link connected and open to other writes.
	 */
	private void onOpen(TcpConnectionOpenEvent event) {
		TcpConnection opened = (TcpConnection) event.getSource();
		String preambleFailure = writeOnConnectFrames(opened);
		synchronized (this) {
			if (this.state != LinkState.STOPPED && opened.isOpen() && preambleFailure == null) {
				this.traffic.attempted(true);
				this.connectionFactory.allowConnect(false);
				this.schedule.cancel();
				this.closing = null;
				this.connection = opened;
				this.connectedSince = this.clock.instant();
				this.reconnectAttempts = 0;
				watch(opened);
				changeState(LinkState.CONNECTED, null);
				return;
			}
			if (preambleFailure != null && this.state != LinkState.STOPPED) {
				this.traffic.attempted(false);
				recordError(preambleFailure);
				this.schedule.afterFailure(this::attempt);
				changeState(LinkState.DISCONNECTED, preambleFailure);
			}
		}
		// an attempt that was under way when the link was stopped, or whose preamble failed
		opened.close();
	}

	private @Nullable String writeOnConnectFrames(TcpConnection opened) {
		try {
			for (byte[] frame : this.onConnect) {
				opened.send(new GenericMessage<>(frame));
				this.traffic.sent(frame, this.clock.millis());
			}
			this.writes.wrote();
			return null;
		}
		catch (RuntimeException ex) {
			return "Writing the on-connect frames (" + this.settings + ".on-connect) failed: " + describe(ex);
		}
	}

	/** Watches a new connection for silence and stuck writes, and keeps it busy with heartbeats. Callers hold the lock. */
	private void watch(TcpConnection watched) {
		this.watchdogs = ConnectionWatchdogs.watch(watched, this.properties, this.settings, this.scheduler, this.writes,
				this::presumeDead, this::heartbeat);
	}

	/** A watchdog's verdict on the connection it watches: closed, if it is still the link's. */
	private void presumeDead(TcpConnection watched, CloseCause cause) {
		synchronized (this) {
			if (watched != this.connection) {
				return;
			}
			this.closing = cause;
			recordError(cause.reason());
		}
		watched.close();
	}

	private void heartbeat(byte[] frame) {
		try {
			send(frame);
		}
		catch (UpstreamUnavailableException | IllegalArgumentException ex) {
			logger.debug(this.label + ": no heartbeat: " + ex.getMessage());
		}
	}

	private void stopWatching() {
		if (this.watchdogs != null) {
			this.watchdogs.cancel();
			this.watchdogs = null;
		}
	}

	private void onFailed(TcpConnectionFailedEvent event) {
		synchronized (this) {
			if (this.state == LinkState.STOPPED) {
				return;
			}
			this.traffic.attempted(false);
			this.connectionFactory.allowConnect(false);
			String reason = describe(event.getCause());
			recordError(reason);
			this.schedule.afterFailure(this::attempt);
			changeState(LinkState.DISCONNECTED, reason);
		}
	}

	private void onException(TcpConnectionExceptionEvent event) {
		Throwable cause = rootCause(event.getCause());
		this.dropped.readerFailed(cause);
		synchronized (this) {
			// closing it ourselves (stop, reconnect, presumed dead) makes the reader fail too: not the cause
			if (event.getSource() == this.connection && this.state != LinkState.STOPPED && this.closing == null) {
				recordError((cause instanceof SoftEndOfStreamException) ? PEER_CLOSED : describe(cause));
			}
		}
	}

	private void onClose(TcpConnectionCloseEvent event) {
		synchronized (this) {
			if (event.getSource() != this.connection) {
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
				this.schedule.now(this::attempt);
			}
			else {
				this.schedule.afterLoss(this::attempt, Duration.between(since, this.clock.instant()));
			}
			changeState(LinkState.DISCONNECTED, (cause != null) ? cause.reason() : errorSince(since));
		}
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

	private void attempt() {
		synchronized (this) {
			if (this.state != LinkState.DISCONNECTED) {
				return;
			}
			beginAttempt();
		}
		// connects on the scheduler thread, for at most the connect timeout
		this.inbound.retryConnection();
	}

	// callers hold the lock
	private void beginAttempt() {
		this.connectionFactory.allowConnect(true);
		this.reconnectAttempts++;
		this.schedule.attemptStarted();
		changeState(LinkState.CONNECTING, null);
	}

	/** A frame over the maximum, read past: counted, and the link's last error. */
	private void skippedOversize(FrameTooLargeException frame) {
		this.dropped.skipped(frame);
		synchronized (this) {
			recordError(frame.getMessage());
		}
	}

	private void recordError(String message) {
		this.lastError = new LinkStatus.LinkError(message, this.clock.instant());
	}

	private void changeState(LinkState newState, @Nullable String reason) {
		LinkState old = this.state;
		this.state = newState;
		if (old != newState) {
			LinkStateChangedEvent event = new LinkStateChangedEvent(this.name, newState, this.clock.instant(), reason,
					(newState == LinkState.DISCONNECTED) ? this.schedule.pendingDelay() : null);
			this.stateListeners.forEach((listener) -> listener.accept(event));
		}
	}

	private static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	private static String describe(Throwable ex) {
		Throwable cause = rootCause(ex);
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

}
