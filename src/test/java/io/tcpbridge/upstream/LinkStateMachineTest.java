package io.tcpbridge.upstream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The link's state machine, step by step, on a clock the test moves and connections over
 * real sockets on 127.0.0.1: what each event does to the state, the error, the reason told
 * and the next attempt.
 */
class LinkStateMachineTest {

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final List<LinkStateChangedEvent> events = new CopyOnWriteArrayList<>();

	private final List<Boolean> allowed = new CopyOnWriteArrayList<>();

	private final AtomicInteger watched = new AtomicInteger();

	private final List<AutoCloseable> sockets = new ArrayList<>();

	private MovableClock clock;

	private LinkStateMachine machine;

	@BeforeEach
	void stoppedLink() {
		this.scheduler.initialize();
		this.clock = new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
		// a reconnect schedule whose attempts never come during a test: the steps are the test's
		UpstreamProperties.Reconnect reconnect = new UpstreamProperties.Reconnect(Duration.ofHours(1),
				Duration.ofHours(2), 2, 0, Duration.ofSeconds(5));
		this.machine = new LinkStateMachine("plc1", this.clock, new ReconnectSchedule(reconnect, this.scheduler, this.clock),
				new LinkTraffic(), this.allowed::add, (connection) -> {
					this.watched.incrementAndGet();
					return ConnectionWatchdogs.watch(connection, upstream(), "bridge.upstream", this.scheduler,
							new LinkWrites("plc1", new io.micrometer.core.instrument.simple.SimpleMeterRegistry()),
							(c, cause) -> {
							}, (frame) -> {
							});
				}, () -> {
				});
		this.machine.onChange(this.events::add);
	}

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable socket : this.sockets) {
			socket.close();
		}
		this.scheduler.shutdown();
	}

	@Test
	void startConnectsAndAnOpenedConnectionIsHeldAndWatched() throws IOException {
		assertThat(this.machine.start()).isTrue();
		assertThat(this.machine.start()).isFalse();
		TcpConnection connection = connection();
		this.clock.move(Duration.ofMillis(30));
		assertThat(this.machine.opened(connection, null)).isTrue();

		assertThat(this.events).extracting(LinkStateChangedEvent::state).containsExactly(LinkState.CONNECTING,
				LinkState.CONNECTED);
		assertThat(this.events.get(1).at()).isEqualTo(this.clock.instant());
		assertThat(this.events).allSatisfy((event) -> assertThat(event.link()).isEqualTo("plc1"));
		assertThat(this.machine.snapshot().connectedSince()).isEqualTo(this.clock.instant());
		assertThat(this.machine.connected()).isSameAs(connection);
		assertThat(this.allowed).containsExactly(true, false);
		assertThat(this.watched).hasValue(1);
	}

	@Test
	void aConnectionClosedByThePeerIsToldAsSuchAndItsEarlierErrorIsNot() throws IOException {
		this.machine.recordError("an old error");
		this.machine.start();
		TcpConnection connection = connection();
		this.clock.move(Duration.ofSeconds(1));
		this.machine.opened(connection, null);
		this.clock.move(Duration.ofSeconds(1));
		this.machine.closed(connection);

		LinkStateChangedEvent lost = this.events.get(this.events.size() - 1);
		assertThat(lost.state()).isEqualTo(LinkState.DISCONNECTED);
		assertThat(lost.reason()).isEqualTo(LinkStateMachine.PEER_CLOSED);
		assertThat(lost.retryIn()).isEqualTo(Duration.ofHours(1));
		assertThat(this.machine.snapshot().lastError().message()).isEqualTo(LinkStateMachine.PEER_CLOSED);
		assertThat(this.machine.connected()).isNull();
	}

	@Test
	void theReaderFailingWhileTheLinkClosesItsConnectionIsNotTheCause() throws IOException {
		this.machine.start();
		TcpConnection connection = connection();
		this.machine.opened(connection, null);
		assertThat(this.machine.reconnect("Link plc1")).isSameAs(connection);
		this.machine.readerFailed(connection, "Socket closed");
		this.machine.closed(connection);

		assertThat(this.events.get(this.events.size() - 1).reason()).isEqualTo("reconnect requested");
		assertThat(this.machine.snapshot().lastError()).isNull();
	}

	@Test
	void aWatchdogsVerdictIsTheReasonAndIsForItsOwnConnectionOnly() throws IOException {
		this.machine.start();
		TcpConnection old = connection();
		TcpConnection current = connection();
		this.machine.opened(current, null);
		assertThat(this.machine.presumeDead(old, new CloseCause.PresumedDead("silent"))).isFalse();
		assertThat(this.machine.presumeDead(current, new CloseCause.PresumedDead("silent for 5 s"))).isTrue();
		this.machine.readerFailed(current, "Socket closed");
		this.machine.closed(old);
		assertThat(this.machine.state()).isEqualTo(LinkState.CONNECTED);
		this.machine.closed(current);

		assertThat(this.events.get(this.events.size() - 1).reason()).isEqualTo("silent for 5 s");
		assertThat(this.machine.snapshot().lastError().message()).isEqualTo("silent for 5 s");
	}

	@Test
	void aFailedAttemptOrPreambleWaitsOutTheBackoffAndAStoppedLinkClosesWhatOpensLate() throws IOException {
		this.machine.start();
		this.machine.failed("Connection refused");
		assertThat(this.machine.snapshot().state()).isEqualTo(LinkState.DISCONNECTED);
		assertThat(this.machine.snapshot().nextAttemptAt()).isEqualTo(this.clock.instant().plus(Duration.ofHours(1)));
		assertThat(this.machine.attemptDue()).isTrue();
		assertThat(this.machine.opened(connection(), "Writing the on-connect frames failed")).isFalse();
		assertThat(this.machine.snapshot().lastError().message()).isEqualTo("Writing the on-connect frames failed");
		assertThat(this.machine.snapshot().reconnectAttempts()).isEqualTo(2);

		assertThat(this.machine.stop()).isTrue();
		assertThat(this.machine.stop()).isFalse();
		assertThat(this.machine.opened(connection(), null)).isFalse();
		assertThat(this.machine.attemptDue()).isFalse();
		assertThatExceptionOfType(LinkStoppedException.class).isThrownBy(() -> this.machine.reconnect("Link plc1"))
			.withMessage("Link plc1 is stopped");
		assertThat(this.events).extracting(LinkStateChangedEvent::state).containsExactly(LinkState.CONNECTING,
				LinkState.DISCONNECTED, LinkState.CONNECTING, LinkState.DISCONNECTED, LinkState.STOPPED);
	}

	/** A connection over a real socket pair on 127.0.0.1. */
	private TcpConnection connection() throws IOException {
		try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
			Socket accepted = server.accept();
			this.sockets.add(client);
			this.sockets.add(accepted);
			return new TcpNetConnection(client, false, false, null, "test");
		}
	}

	private static UpstreamProperties upstream() {
		return new UpstreamProperties("127.0.0.1", 1, Duration.ofSeconds(1), true, false,
				new UpstreamProperties.Reconnect(Duration.ofHours(1), Duration.ofHours(2), 2, 0, Duration.ofSeconds(5)),
				Duration.ZERO, Duration.ZERO, new UpstreamProperties.Heartbeat(Duration.ZERO, ""),
				new UpstreamProperties.KeepAlive(null, null, null), List.of(),
				new UpstreamProperties.Tls(false, null, true));
	}

	/** A clock that stands still until the test moves it. */
	private static final class MovableClock extends Clock {

		private volatile Instant now;

		MovableClock(Instant now) {
			this.now = now;
		}

		void move(Duration by) {
			this.now = this.now.plus(by);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

		@Override
		public java.time.ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(java.time.ZoneId zone) {
			return this;
		}

	}

}
