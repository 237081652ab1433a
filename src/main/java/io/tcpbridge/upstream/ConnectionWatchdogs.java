package io.tcpbridge.upstream;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.scheduling.TaskScheduler;

/**
 * The watchdogs of one connection, from its open to its close: no byte received for the
 * idle timeout, or a write that did not complete in the write timeout, presumes the upstream
 * dead; nothing written for the heartbeat interval writes the heartbeat.
 */
final class ConnectionWatchdogs {

	private final List<ScheduledFuture<?>> watches = new ArrayList<>();

	private ConnectionWatchdogs() {
	}

	/**
	 * Watches {@code connection} until {@link #cancel()}.
	 * @param settings where the link's properties are, for the reasons that name them
	 * @param presumeDead closes the connection for the reason given, if it is still the link's
	 * @param heartbeat writes the heartbeat frame
	 */
	static ConnectionWatchdogs watch(TcpConnection connection, UpstreamProperties properties, String settings,
			TaskScheduler scheduler, LinkWrites writes, BiConsumer<TcpConnection, CloseCause> presumeDead,
			Consumer<byte[]> heartbeat) {
		ConnectionWatchdogs watchdogs = new ConnectionWatchdogs();
		Duration idleTimeout = properties.idleTimeout();
		if (!idleTimeout.isZero() && connection instanceof BufferedInputConnection buffered) {
			watchdogs.every(scheduler, idleTimeout, () -> {
				Duration silence = buffered.silence();
				if (silence.compareTo(idleTimeout) >= 0) {
					presumeDead.accept(connection, new CloseCause.PresumedDead("No bytes from the upstream for "
							+ silence.toMillis() + " ms (" + settings + ".idle-timeout is " + idleTimeout.toMillis()
							+ " ms): presumed dead"));
				}
			});
		}
		Duration writeTimeout = properties.writeTimeout();
		if (!writeTimeout.isZero()) {
			watchdogs.every(scheduler, writeTimeout, () -> {
				if (writes.oldestWaitingNanos(System.nanoTime()) >= writeTimeout.toNanos()) {
					// closing it unblocks the stuck writer, which answers its caller with an error
					presumeDead.accept(connection, new CloseCause.PresumedDead("A write to the upstream did not complete "
							+ "in " + writeTimeout.toMillis() + " ms (" + settings + ".write-timeout): the upstream "
							+ "stopped reading"));
				}
			});
		}
		UpstreamProperties.Heartbeat beat = properties.heartbeat();
		if (beat.enabled()) {
			byte[] frame = beat.frame();
			watchdogs.every(scheduler, beat.interval(), () -> {
				if (writes.quietNanos(System.nanoTime()) >= beat.interval().toNanos()) {
					heartbeat.accept(frame);
				}
			});
		}
		return watchdogs;
	}

	private void every(TaskScheduler scheduler, Duration period, Runnable check) {
		this.watches.add(scheduler.scheduleAtFixedRate(check, checkPeriod(period)));
	}

	/** Often enough to act within a fraction of the period, never busier than 20 times a second. */
	static Duration checkPeriod(Duration period) {
		Duration quarter = period.dividedBy(4);
		Duration fastest = Duration.ofMillis(50);
		Duration slowest = Duration.ofMillis(250);
		return (quarter.compareTo(fastest) < 0) ? fastest : (quarter.compareTo(slowest) > 0) ? slowest : quarter;
	}

	void cancel() {
		this.watches.forEach((watch) -> watch.cancel(false));
		this.watches.clear();
	}

}
