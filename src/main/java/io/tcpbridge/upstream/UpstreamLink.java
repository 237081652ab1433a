package io.tcpbridge.upstream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.framing.FrameTooLargeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionFailedEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.integration.ip.tcp.outbound.TcpSendingMessageHandler;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * The one link to the upstream: its state, the operator's start, stop and reconnect, the
 * write path, and the reconnect schedule.
 *
 * <p>The state follows Spring Integration's connection events. Whenever a connection is lost
 * or an attempt fails, the next attempt is scheduled after an exponential, jittered, capped
 * delay, which starts again from the initial delay once a connection has stayed up for
 * {@code reconnect.reset-after}. Writes are refused at once while the link is down: the
 * connection factory would otherwise connect on the caller's thread and hold it for the
 * whole connect timeout.
 */
@Component
public class UpstreamLink implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private static final String PEER_CLOSED = "The upstream closed the connection";

	private final UpstreamProperties properties;

	private final FrameCodec codec;

	private final TcpNetClientConnectionFactory connectionFactory;

	private final TcpReceivingChannelAdapter inbound;

	private final TcpSendingMessageHandler outbound;

	private final TaskScheduler scheduler;

	private final ApplicationEventPublisher events;

	private final Clock clock;

	private final ExponentialBackOff backOff;

	private final LongAdder framesIn = new LongAdder();

	private final LongAdder bytesIn = new LongAdder();

	private final LongAdder framesOut = new LongAdder();

	private final LongAdder bytesOut = new LongAdder();

	private final AtomicLong lastFrameIn = new AtomicLong();

	private final AtomicLong lastFrameOut = new AtomicLong();

	// guarded by this
	private LinkState state = LinkState.STOPPED;

	private BackOffExecution backOffExecution;

	private @Nullable TcpConnection connection;

	private @Nullable Instant connectedSince;

	private LinkStatus.@Nullable LinkError lastError;

	private long reconnectAttempts;

	private @Nullable Instant nextAttemptAt;

	private @Nullable ScheduledFuture<?> nextAttempt;

	private boolean reconnectRequested;

	UpstreamLink(UpstreamProperties properties, FrameCodec codec, TcpNetClientConnectionFactory upstreamConnectionFactory,
			TcpReceivingChannelAdapter upstreamInbound, TcpSendingMessageHandler upstreamOutbound,
			TaskScheduler upstreamScheduler, PublishSubscribeChannel upstreamFrames, ApplicationEventPublisher events) {
		this.properties = properties;
		this.codec = codec;
		this.connectionFactory = upstreamConnectionFactory;
		this.inbound = upstreamInbound;
		this.outbound = upstreamOutbound;
		this.scheduler = upstreamScheduler;
		this.events = events;
		this.clock = Clock.systemUTC();
		this.backOff = backOff(properties.reconnect());
		this.backOffExecution = this.backOff.start();
		upstreamFrames.subscribe((message) -> frameReceived((byte[]) message.getPayload()));
	}

	private static ExponentialBackOff backOff(UpstreamProperties.Reconnect reconnect) {
		ExponentialBackOff backOff = new ExponentialBackOff(reconnect.initialDelay().toMillis(), reconnect.multiplier());
		backOff.setMaxInterval(reconnect.maxDelay().toMillis());
		// Spring scales the jitter with the interval: a fraction of the initial delay stays
		// that fraction of every later one
		backOff.setJitter(Math.round(reconnect.jitter() * reconnect.initialDelay().toMillis()));
		return backOff;
	}

	/** Opens the link and keeps it open, reconnecting whenever it is lost. */
	@Override
	public void start() {
		synchronized (this) {
			if (this.state != LinkState.STOPPED) {
				return;
			}
			this.backOffExecution = this.backOff.start();
			this.reconnectAttempts = 0;
			beginAttempt();
		}
		this.inbound.start();
	}

	/** Closes the link and keeps it closed until {@link #start()}. */
	@Override
	public void stop() {
		synchronized (this) {
			if (this.state == LinkState.STOPPED) {
				return;
			}
			cancelNextAttempt();
			changeState(LinkState.STOPPED, "stopped");
		}
		this.inbound.stop();
	}

	@Override
	public synchronized boolean isRunning() {
		return this.state != LinkState.STOPPED;
	}

	/** Replaces the connection now, or tries at once if there is none. */
	public void reconnect() {
		TcpConnection toClose;
		synchronized (this) {
			if (this.state == LinkState.STOPPED) {
				throw new LinkStoppedException("The link to " + this.properties.address()
						+ " is stopped; start it to connect");
			}
			cancelNextAttempt();
			this.backOffExecution = this.backOff.start();
			toClose = this.connection;
			if (toClose == null) {
				scheduleAttempt(Duration.ZERO);
				return;
			}
			this.reconnectRequested = true;
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
			LinkStatus status = status();
			throw new UpstreamUnavailableException("The upstream " + this.properties.address() + " is not connected ("
					+ status.state() + ")", status, retryAfter(status));
		}
		try {
			this.outbound.handleMessage(new GenericMessage<>(frame));
		}
		catch (MessagingException ex) {
			LinkStatus status = status();
			throw new UpstreamUnavailableException("Writing to the upstream " + this.properties.address() + " failed: "
					+ describe(ex), status, retryAfter(status));
		}
		this.framesOut.increment();
		this.bytesOut.add(frame.length);
		this.lastFrameOut.set(this.clock.millis());
	}

	public synchronized boolean isConnected() {
		return this.state == LinkState.CONNECTED;
	}

	public LinkStatus status() {
		synchronized (this) {
			return new LinkStatus(this.state, this.properties.host(), this.properties.port(),
					this.codec.mode().configName(), this.codec.maxFrameSize(), this.connectedSince, this.lastError,
					this.reconnectAttempts, this.nextAttemptAt, instantOrNull(this.lastFrameIn.get()),
					instantOrNull(this.lastFrameOut.get()), this.framesIn.sum(), this.bytesIn.sum(),
					this.framesOut.sum(), this.bytesOut.sum());
		}
	}

	private Duration retryAfter(LinkStatus status) {
		if (status.nextAttemptAt() == null) {
			return Duration.ZERO;
		}
		Duration wait = Duration.between(this.clock.instant(), status.nextAttemptAt());
		return wait.isNegative() ? Duration.ZERO : wait;
	}

	private void frameReceived(byte[] frame) {
		this.framesIn.increment();
		this.bytesIn.add(frame.length);
		this.lastFrameIn.set(this.clock.millis());
	}

	@EventListener
	void onOpen(TcpConnectionOpenEvent event) {
		if (!isOurs(event)) {
			return;
		}
		TcpConnection opened = (TcpConnection) event.getSource();
		synchronized (this) {
			if (this.state != LinkState.STOPPED && opened.isOpen()) {
				this.connection = opened;
				this.connectedSince = this.clock.instant();
				this.reconnectAttempts = 0;
				this.nextAttemptAt = null;
				changeState(LinkState.CONNECTED, null);
				return;
			}
		}
		// an attempt that was under way when the link was stopped
		opened.close();
	}
	@EventListener
	void onFailed(TcpConnectionFailedEvent event) {
		if (event.getSource() != this.connectionFactory) {
			return;
		}
		synchronized (this) {
			if (this.state == LinkState.STOPPED) {
				return;
			}
			String reason = describe(event.getCause());
			recordError(reason);
			scheduleAttempt(Duration.ofMillis(this.backOffExecution.nextBackOff()));
			changeState(LinkState.DISCONNECTED, reason);
		}
	}

	@EventListener
	void onException(TcpConnectionExceptionEvent event) {
		if (!isOurs(event)) {
			return;
		}
		Throwable cause = rootCause(event.getCause());
		if (cause instanceof FrameTooLargeException tooLarge) {
			logger.warn("Dropped an inbound frame of " + (tooLarge.size() > tooLarge.limit() + 1L ? "" : "at least ")
					+ tooLarge.size() + " bytes from " + this.properties.address() + " (limit " + tooLarge.limit()
					+ " bytes, bridge.framing.max-frame-size); replacing the connection to stay in step");
		}
		synchronized (this) {
			// closing it ourselves (stop, reconnect) makes the reader fail too: no fault of the link
			if (event.getSource() == this.connection && this.state != LinkState.STOPPED && !this.reconnectRequested) {
				recordError(cause instanceof SoftEndOfStreamException ? PEER_CLOSED : describe(cause));
			}
		}
	}

	@EventListener
	void onClose(TcpConnectionCloseEvent event) {
		if (!isOurs(event)) {
			return;
		}
		synchronized (this) {
			if (event.getSource() != this.connection) {
				return;
			}
			this.connection = null;
			Instant since = this.connectedSince;
			this.connectedSince = null;
			if (this.state == LinkState.STOPPED) {
				return;
			}
			Duration delay;
			String reason;
			if (this.reconnectRequested) {
				this.reconnectRequested = false;
				delay = Duration.ZERO;
				reason = "reconnect requested";
			}
			else {
				if (since != null && !since.plus(this.properties.reconnect().resetAfter()).isAfter(this.clock.instant())) {
					this.backOffExecution = this.backOff.start();
				}
				delay = Duration.ofMillis(this.backOffExecution.nextBackOff());
				reason = errorSince(since);
			}
			scheduleAttempt(delay);
			changeState(LinkState.DISCONNECTED, reason);
		}
	}

	/** The error recorded while the lost connection was up; else the peer closed it cleanly. */
	private String errorSince(@Nullable Instant since) {
		LinkStatus.LinkError error = this.lastError;
		if (error != null && since != null && !error.at().isBefore(since)) {
			return error.message();
		}
		recordError(PEER_CLOSED);
		return PEER_CLOSED;
	}

	private boolean isOurs(TcpConnectionEvent event) {
		return this.connectionFactory.getComponentName() != null
				&& this.connectionFactory.getComponentName().equals(event.getConnectionFactoryName());
	}

	// callers hold the lock
	private void scheduleAttempt(Duration delay) {
		Instant at = this.clock.instant().plus(delay);
		this.nextAttemptAt = at;
		this.nextAttempt = this.scheduler.schedule(this::attempt, at);
	}

	private void cancelNextAttempt() {
		if (this.nextAttempt != null) {
			this.nextAttempt.cancel(false);
			this.nextAttempt = null;
		}
		this.nextAttemptAt = null;
	}

	private void attempt() {
		synchronized (this) {
			if (this.state != LinkState.DISCONNECTED) {
				return;
			}
			this.nextAttempt = null;
			beginAttempt();
		}
		// connects on this scheduler thread, for at most the connect timeout
		this.inbound.retryConnection();
	}

	private void beginAttempt() {
		this.reconnectAttempts++;
		this.nextAttemptAt = null;
		changeState(LinkState.CONNECTING, null);
	}

	private void recordError(String message) {
		this.lastError = new LinkStatus.LinkError(message, this.clock.instant());
	}

	private void changeState(LinkState newState, @Nullable String reason) {
		LinkState old = this.state;
		this.state = newState;
		if (old == newState) {
			return;
		}
		logStateChange(newState, reason);
		this.events.publishEvent(new LinkStateChangedEvent(newState, this.clock.instant(), reason));
	}

	private void logStateChange(LinkState newState, @Nullable String reason) {
		String upstream = "Upstream " + this.properties.address() + " ";
		switch (newState) {
			case CONNECTING -> logger.debug(upstream + "connecting, attempt " + this.reconnectAttempts);
			case CONNECTED -> logger.info(upstream + "connected (" + this.codec + ")");
			case DISCONNECTED -> logger.info(upstream + "disconnected: " + reason + "; next attempt in "
					+ Duration.between(this.clock.instant(), this.nextAttemptAt != null ? this.nextAttemptAt
							: this.clock.instant()).toMillis() + " ms");
			case STOPPED -> logger.info(upstream + "stopped");
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

	private static @Nullable Instant instantOrNull(long epochMilli) {
		return epochMilli == 0 ? null : Instant.ofEpochMilli(epochMilli);
	}

	/**
	 * Starts after the web server and the demo upstream. Stops after the web server's
	 * graceful shutdown has let requests in flight finish, and before the server stops.
	 */
	@Override
	public int getPhase() {
		return SmartLifecycle.DEFAULT_PHASE - 1536;
	}

}
