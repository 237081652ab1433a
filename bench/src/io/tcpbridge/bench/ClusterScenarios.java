package io.tcpbridge.bench;

import java.io.File;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Scenario 10, replicas on Redis: one SSE subscriber on a follower of two replicas on a
 * local {@code redis-server}, next to the same subscriber on a bridge alone, measured the
 * same way in the same run; and how long a follower's subscriber goes without new frames
 * when the leader hands the link over, and when it is killed.
 */
final class ClusterScenarios {

	/**
	 * How long the frames flow before they are measured, alone as in a cluster. Two bridges
	 * just started compile their paths under load on the same two cores as Redis: five
	 * seconds in, their compilers took 0.9 of the 2 cores and the follower's median latency
	 * was 9 ms; thirty seconds in, under a third of one.
	 */
	private static final long WARM_UP = Duration.ofSeconds(30).toNanos();

	/** After the full collections that end the warm-up, as in {@link Scenarios#SETTLE}. */
	private static final long SETTLE = Scenarios.SETTLE;

	/** The most the collections may take to be asked for and done on a loaded machine, and the blaster's margin for them. */
	private static final long COLLECTION = Duration.ofSeconds(10).toNanos();

	/** The replicas' default, which the failover is measured with. */
	private static final Duration LOCK_TTL = Duration.ofSeconds(10);

	private static final Pattern SKIPPED = Pattern
		.compile("(?m)^bridge_cluster_frames_skipped_total\\{[^}]*\\} (\\S+)$");

	private static final Pattern LEADS = Pattern.compile("(?m)^bridge_cluster_leader\\{[^}]*\\} 1(\\.0)?$");

	private final File jar;

	private final long nanos;

	private final List<AutoCloseable> streams = new ArrayList<>();

	ClusterScenarios(File jar, long nanos) {
		this.jar = jar;
		this.nanos = nanos;
	}

	/**
	 * 64 B frames at the blaster's full rate (0), or at a steady rate: frames/s, or the p99,
	 * that the follower's subscriber gets, next to the same on a bridge alone.
	 */
	Scenarios.Run streaming(int rate) throws Exception {
		Measured alone = measure(rate, null);
		Measured cluster;
		try (RedisProcess redis = RedisProcess.start()) {
			cluster = measure(rate, redis);
		}
		boolean full = rate == 0;
		return new Scenarios.Run(full ? cluster.framesPerSecond() : cluster.p99(),
				full ? alone.framesPerSecond() : alone.p99(), cluster.latencies(), cluster.lost(), cluster.disorder(),
				String.format("p50 %.3f ms, %.0f frames/s; redis-server %.2f cores; the follower skipped %d frames it "
						+ "read too late (lost counts them); alone: p99 %.3f ms, %.0f frames/s",
						cluster.latencies().percentileMillis(50), cluster.framesPerSecond(), cluster.redisCores(),
						cluster.skipped(), alone.p99(), alone.framesPerSecond()));
	}

	/**
	 * Three replicas at 1,000 frames/s, subscribers on the two that are not the leader: the
	 * leader stopped (SIGTERM), then the next leader killed (SIGKILL). Each time, from the
	 * signal to the first frame the upstream wrote to the next leader reaching the subscriber
	 * of a replica that stays: seconds, next to the lock's time to live, the least a failover
	 * after a kill can take.
	 */
	Scenarios.Run failover() throws Exception {
		try (RedisProcess redis = RedisProcess.start();
				Blaster blaster = new Blaster(64, 1000).serveEachClient(Duration.ofMinutes(3).toNanos());
				Server first = Server.bridge(this.jar, blaster.port(), "cluster-a", cluster(redis));
				Server second = Server.bridge(this.jar, blaster.port(), "cluster-b", cluster(redis));
				Server third = Server.bridge(this.jar, blaster.port(), "cluster-c", cluster(redis))) {
			Receiver onSecond = subscribe(second);
			Receiver onThird = subscribe(third);
			awaitFrames(onSecond, onThird);
			long stopped = System.nanoTime();
			first.close();
			Server next = leader(second, third);
			Receiver staying = (next == second) ? onThird : onSecond;
			double handover = secondsUntilNextLeadersFrames(stopped, blaster, staying);
			long killed = System.nanoTime();
			next.kill();
			double failover = secondsUntilNextLeadersFrames(killed, blaster, staying);
			closeStreams();
			return new Scenarios.Run(failover, LOCK_TTL.toMillis() / 1000.0, null, 0, 0, String.format(
					"the leader killed: %.2f s; the leader stopped: %.2f s to the next one's frames", failover, handover));
		}
	}

	private Measured measure(int rate, RedisProcess redis) throws Exception {
		String name = (redis != null) ? "cluster-leader" : "cluster-alone";
		try (Blaster blaster = new Blaster(64, rate).serve(WARM_UP + COLLECTION + SETTLE + this.nanos);
				Server leader = Server.bridge(this.jar, blaster.port(), name, cluster(redis));
				Server follower = (redis != null) ? Server.bridge(this.jar, blaster.port(), "cluster-follower",
						cluster(redis)) : null) {
			Server served = (follower != null) ? follower : leader;
			Receiver subscriber = subscribe(served);
			blaster.go();
			Thread.sleep(Duration.ofNanos(WARM_UP).toMillis());
			leader.collectGarbage();
			if (follower != null) {
				follower.collectGarbage();
			}
			Thread.sleep(Duration.ofNanos(SETTLE).toMillis());
			subscriber.takeLatencies();
			long before = subscriber.count();
			long redisBefore = (redis != null) ? redis.cpuNanos() : 0;
			long start = System.nanoTime();
			Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
			long frames = subscriber.count() - before;
			long elapsed = System.nanoTime() - start;
			double redisCores = (redis != null) ? (double) (redis.cpuNanos() - redisBefore) / elapsed : 0;
			Latencies latencies = subscriber.takeLatencies();
			blaster.stop();
			blaster.awaitDone();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (subscriber.lastSeq() < blaster.written() && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
			long skipped = 0;
			Matcher matcher = SKIPPED.matcher(served.get("/actuator/prometheus").body());
			if (matcher.find()) {
				skipped = (long) Double.parseDouble(matcher.group(1));
			}
			closeStreams();
			return new Measured(latencies, frames * 1e9 / elapsed, blaster.written() - subscriber.count(),
					subscriber.duplicates() + subscriber.outOfOrder(), skipped, redisCores);
		}
	}

	private static String[] cluster(RedisProcess redis) {
		return (redis == null) ? new String[0]
				: new String[] { "--bridge.cluster.mode=redis", "--spring.data.redis.port=" + redis.port() };
	}

	private Receiver subscribe(Server bridge) throws Exception {
		Receiver receiver = new Receiver(true, 0);
		HttpStream stream = HttpStream.get(bridge.port(), "/stream", "text/event-stream");
		InputStream body = stream.body();
		Thread reader = new Thread(() -> receiver.readLines(body), "subscriber");
		reader.setDaemon(true);
		reader.start();
		this.streams.add(stream);
		return receiver;
	}

	private void closeStreams() throws Exception {
		for (AutoCloseable stream : this.streams) {
			stream.close();
		}
		this.streams.clear();
	}

	private static void awaitFrames(Receiver... receivers) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		for (Receiver receiver : receivers) {
			while (receiver.count() == 0) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("No frames reached the followers' subscribers in 30 s");
				}
				Thread.sleep(10);
			}
		}
	}

	/** The replica that holds the link, once one does. */
	private static Server leader(Server... replicas) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			for (Server replica : replicas) {
				if (LEADS.matcher(replica.get("/actuator/prometheus").body()).find()) {
					return replica;
				}
			}
			Thread.sleep(10);
		}
		throw new IllegalStateException("No replica held the link within 60 s");
	}

	/**
	 * From {@code since} until the subscriber has a frame the upstream wrote to a replica
	 * that connected after it, in seconds: a leader that shuts down still carries what it
	 * read before it closed its connection.
	 */
	private static double secondsUntilNextLeadersFrames(long since, Blaster blaster, Receiver receiver)
			throws InterruptedException {
		long deadline = since + Duration.ofSeconds(60).toNanos();
		while (blaster.connectedNanos() < since || receiver.lastSentNanos() < blaster.connectedNanos()) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("No frame came through another replica within 60 s");
			}
			Thread.sleep(5);
		}
		return (System.nanoTime() - since) / 1e9;
	}

	/** What the subscriber got in the measured seconds, and in the whole run. */
	private record Measured(Latencies latencies, double framesPerSecond, long lost, long disorder, long skipped,
			double redisCores) {

		double p99() {
			return this.latencies.percentileMillis(99);
		}

	}

}
