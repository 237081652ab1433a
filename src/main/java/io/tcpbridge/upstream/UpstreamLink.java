package io.tcpbridge.upstream;

import java.time.Clock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.framing.FrameTooLargeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpConnectionCloseEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionExceptionEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionFailedEvent;
import org.springframework.integration.ip.tcp.connection.TcpConnectionOpenEvent;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.messaging.MessagingException;
import org.springframework.messaging.support.GenericMessage;
import org.springframework.scheduling.TaskScheduler;

/**
 * One link to an upstream: the operator's start, stop and reconnect, the write path, and
 * what the link's connection factory tells of its connections, which move its
 * {@link LinkStateMachine}. Built by {@link UpstreamLinkFactory}.
 *
 * <p>Whenever a connection is lost or an attempt fails, the {@link ReconnectSchedule} says
 * when to try again; each connection has its {@link ConnectionWatchdogs} while it is open,
 * and the link's {@link ConfiguredFrames} written first.
 * Writes go to the connection the link holds, and are refused at once while it holds none:
 * the connection factory would otherwise connect on the caller's thread and hold it for the
 * whole connect timeout.
 */
public class UpstreamLink {

	private static final Log logger = LogFactory.getLog(UpstreamLink.class);

	private final String name;

	/** How log lines and messages name it: {@code Link plc1 (10.0.0.7:502)}. */
	private final String label;

	private final UpstreamProperties properties;

	private final FrameCodec codec;

	private final TcpReceivingChannelAdapter inbound;

	private final PublishSubscribeChannel frames;

	private final Clock clock;

	/** Keeps a start and a stop, with their adapter's, from interleaving. */
	private final ReentrantLock lifecycle = new ReentrantLock();

	private final ConfiguredFrames configured;

	private final LinkTraffic traffic = new LinkTraffic();

	private final LinkWrites writes;

	private final DroppedFrames dropped;

	private final LinkStateMachine state;

	UpstreamLink(String name, String settings, UpstreamProperties properties, FrameCodec codec,
			UpstreamConnectionFactory connectionFactory, TcpReceivingChannelAdapter inbound, TaskScheduler scheduler,
			PublishSubscribeChannel frames, ApplicationEventPublisher events, MeterRegistry meterRegistry, Clock clock) {
		this.name = name;
		this.label = label(name, properties);
		this.properties = properties;
		this.codec = codec;
		this.inbound = inbound;
		this.frames = frames;
		this.clock = clock;
		this.writes = new LinkWrites(name, meterRegistry);
		this.configured = new ConfiguredFrames(properties, settings, codec, this.traffic, this.writes, clock);
		this.dropped = new DroppedFrames(this.label, this.traffic);
		this.state = new LinkStateMachine(name, clock, new ReconnectSchedule(properties.reconnect(), scheduler, clock),
				this.traffic, connectionFactory::allowConnect,
				(connection) -> ConnectionWatchdogs.watch(connection, properties, settings, scheduler, this.writes,
						this::presumeDead, this::heartbeat),
				this::attempt);
		codec.onSkipped(this::skippedOversize);
		frames.subscribe((message) -> this.traffic.received((byte[]) message.getPayload(), this.clock.millis()));
		this.state.onChange(new LinkStateLogger(this.label, codec)::log);
		this.state.onChange(events::publishEvent);
	}

	/** How log lines and messages name a link: {@code Link plc1 (10.0.0.7:502)}. */
	static String label(String name, UpstreamProperties properties) {
		return "Link " + name + " (" + properties.address() + ")";
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
		this.state.onChange(listener);
	}

	/** Opens the link and keeps it open, reconnecting whenever it is lost. */
	public void start() {
		this.lifecycle.lock();
		try {
			if (this.state.start()) {
				// the adapter's first attempt runs on the scheduler thread
				this.inbound.start();
			}
		}
		finally {
			this.lifecycle.unlock();
		}
	}

	/** Closes the link and keeps it closed until {@link #start()}. */
	public void stop() {
		this.lifecycle.lock();
		try {
			if (this.state.stop()) {
				this.inbound.stop();
			}
		}
		finally {
			this.lifecycle.unlock();
		}
	}

	/** Replaces the connection now; or, with none, tries at once instead of waiting. */
	public void reconnect() {
		TcpConnection toClose = this.state.reconnect(this.label);
		if (toClose != null) {
			toClose.close();
		}
	}

	/**
	 * Writes one frame, with the framing's delimiter or header, to the connection the link
	 * holds, and returns once it is handed to the socket.
	 * @throws io.tcpbridge.framing.FrameRejectedException when the frame cannot travel in
	 * this framing
	 * @throws UpstreamUnavailableException when the link is not connected or the write fails
	 */
	public void send(byte[] frame) {
		this.codec.check(frame);
		TcpConnection connection = this.state.connected();
		if (connection == null) {
			throw unavailable("is not connected (" + this.state.state() + ")");
		}
		try {
			// the connection writes one frame at a time; one that fails is closed, and the link told
			this.writes.write(() -> connection.send(new GenericMessage<>(frame)));
		}
		catch (MessagingException ex) {
			throw unavailable("failed the write: " + describe(ex));
		}
		this.traffic.sent(frame, this.clock.millis());
	}

	private UpstreamUnavailableException unavailable(String what) {
		LinkStateMachine.Snapshot snapshot = this.state.snapshot();
		return new UpstreamUnavailableException("The upstream of link " + this.name + ", " + this.properties.address()
				+ ", " + what, status(snapshot), this.state.retryAfter(snapshot));
	}

	/** The link's counters, read without a lock. */
	public LinkTraffic traffic() {
		return this.traffic;
	}

	public boolean isConnected() {
		return this.state.state() == LinkState.CONNECTED;
	}

	public LinkStatus status() {
		return status(this.state.snapshot());
	}

	private LinkStatus status(LinkStateMachine.Snapshot snapshot) {
		return new LinkStatus(this.name, snapshot.state(), this.properties.host(), this.properties.port(),
				this.codec.mode().configName(), this.codec.maxFrameSize(), snapshot.connectedSince(), snapshot.lastError(),
				snapshot.reconnectAttempts(), snapshot.nextAttemptAt(), snapshot.backoffDelay(), this.traffic.lastFrameIn(),
				this.traffic.lastFrameOut(), this.traffic.framesIn(), this.traffic.bytesIn(), this.traffic.framesOut(),
				this.traffic.bytesOut(), this.traffic.framesDropped(), null);
	}

	/** What its connection factory tells of its connections and attempts, on the thread where it happened. */
	void connectionEvent(Object event) {
		if (event instanceof TcpConnectionOpenEvent open) {
			opened((TcpConnection) open.getSource());
		}
		else if (event instanceof TcpConnectionCloseEvent close) {
			this.state.closed(close.getSource());
		}
		else if (event instanceof TcpConnectionExceptionEvent exception) {
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(exception.getCause());
			this.dropped.readerFailed(cause);
			this.state.readerFailed(exception.getSource(),
					(cause instanceof SoftEndOfStreamException) ? LinkStateMachine.PEER_CLOSED : describe(cause));
		}
		else if (event instanceof TcpConnectionFailedEvent failed) {
			this.state.failed(describe(failed.getCause()));
		}
	}

	/**
	 * A connection opened: on its reading thread, before it reads, write the on-connect
	 * frames; only then is the link connected and open to other writes.
	 */
	private void opened(TcpConnection opened) {
		if (!this.state.opened(opened, this.configured.writeOnConnect(opened))) {
			// an attempt that was under way when the link was stopped, or whose preamble failed
			opened.close();
		}
	}

	/** The backoff is over: connects on the scheduler thread, for at most the connect timeout. */
	private void attempt() {
		if (this.state.attemptDue()) {
			this.inbound.retryConnection();
		}
	}

	/** A watchdog's verdict on the connection it watches: closed, if it is still the link's. */
	private void presumeDead(TcpConnection watched, CloseCause cause) {
		if (this.state.presumeDead(watched, cause)) {
			watched.close();
		}
	}

	private void heartbeat(byte[] frame) {
		try {
			send(frame);
		}
		catch (UpstreamUnavailableException | IllegalArgumentException ex) {
			logger.debug(this.label + ": no heartbeat: " + ex.getMessage());
		}
	}

	/** A frame over the maximum, read past: counted, and the link's last error. */
	private void skippedOversize(FrameTooLargeException frame) {
		this.dropped.skipped(frame);
		this.state.recordError(frame.getMessage());
	}

	/** An exception as a log line or a last error tells it: its most specific cause's message, or that cause's name. */
	static String describe(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

}
