package io.tcpbridge.bench;

import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Scenario 9, many links in one bridge: each link's upstream a {@link Blaster} of its own,
 * each link's stream read by a subscriber of its own, all at once.
 */
final class LinkScenarios {

	/**
	 * How long the links carry their load before it is measured. A bridge just started
	 * compiles sixteen readers' and the deliveries' paths under load on two cores; five
	 * seconds in, the compiler still took a sixth of a core and frames waited a quarter of a
	 * second for it.
	 */
	private static final long WARM_UP = Duration.ofSeconds(15).toNanos();

	/** After the full collection that ends the warm-up, as in {@link Scenarios#SETTLE}. */
	private static final long SETTLE = Scenarios.SETTLE;

	/** The most the collection may take to be asked for and done on a loaded machine, and the blasters' margin for it. */
	private static final long COLLECTION = Duration.ofSeconds(10).toNanos();

	private final File jar;

	private final long nanos;

	LinkScenarios(File jar, long nanos) {
		this.jar = jar;
		this.nanos = nanos;
	}

	/**
	 * {@code links} links at {@code rate} frames/s each, one SSE subscriber each, next to as
	 * many readers of as many blasters straight over loopback at the same time. Measured from
	 * the end of the warm-up, of its full collection and of the settling after it, so that
	 * the collection's pause is not in the measured seconds however long it took to be asked
	 * for. The CPU each side used in those seconds tells what the machine had to spare.
	 */
	Scenarios.Run steady(int links, int rate) throws Exception {
		Measured floor = loopbacks(links, rate);
		List<Blaster> blasters = blasters(links, rate, WARM_UP + COLLECTION + SETTLE + this.nanos);
		List<AutoCloseable> streams = new ArrayList<>();
		try (Server bridge = Server.bridgeOfLinks(this.jar, blasters.stream().map(Blaster::port).toList(),
				"bridge-links-" + links)) {
			List<Receiver> subscribers = new ArrayList<>();
			for (int i = 0; i < links; i++) {
				Receiver subscriber = new Receiver(true, 0);
				HttpStream stream = HttpStream.get(bridge.port(), "/links/l" + i + "/stream", "text/event-stream");
				InputStream body = stream.body();
				streams.add(stream);
				read(() -> subscriber.readLines(body));
				subscribers.add(subscriber);
			}
			blasters.forEach(Blaster::go);
			Thread.sleep(Duration.ofNanos(WARM_UP).toMillis());
			bridge.collectGarbage();
			Thread.sleep(Duration.ofNanos(SETTLE).toMillis());
			Measured measured = measure(blasters, subscribers, bridge::cpuNanos);
			long lost = 0;
			long disorder = 0;
			for (int i = 0; i < links; i++) {
				Blaster blaster = blasters.get(i);
				Receiver subscriber = subscribers.get(i);
				caughtUp(subscriber, blaster.written());
				lost += blaster.written() - subscriber.count();
				disorder += subscriber.duplicates() + subscriber.outOfOrder();
			}
			return new Scenarios.Run(measured.latencies().percentileMillis(99), floor.latencies().percentileMillis(99),
					measured.latencies(), lost, disorder,
					String.format("%.0f frames/s in all, p99 over all %d streams; CPU: the bridge %.2f cores "
							+ "(%.1f us a frame), the harness %.2f; the blasters into plain readers alone %.2f",
							measured.framesPerSecond(), links, measured.cores(), measured.microsPerFrame(),
							measured.harnessCores(), floor.harnessCores()));
		}
		finally {
			close(streams);
			finish(blasters);
		}
	}

	/**
	 * What an idle link costs: the bridge's memory with {@code links} links that carry
	 * nothing, each connected to an upstream that accepts and stays silent, less its memory
	 * with one, per link; next to the bridge of one link.
	 */
	Scenarios.Run idle(int links) throws Exception {
		double rssOne;
		double heapOne;
		List<Blaster> one = blasters(1, 0, Duration.ofMinutes(5).toNanos());
		try (Server bridge = Server.bridgeOfLinks(this.jar, List.of(one.get(0).port()), "bridge-links-idle-1")) {
			Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
			bridge.collectGarbage();
			rssOne = bridge.rssMiB();
			heapOne = bridge.heapUsedMiB();
		}
		finally {
			finish(one);
		}
		List<Blaster> many = blasters(links, 0, Duration.ofMinutes(5).toNanos());
		try (Server bridge = Server.bridgeOfLinks(this.jar, many.stream().map(Blaster::port).toList(),
				"bridge-links-idle-" + links)) {
			Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
			bridge.collectGarbage();
			double rss = bridge.rssMiB();
			double heap = bridge.heapUsedMiB();
			return new Scenarios.Run((rss - rssOne) / (links - 1), rssOne, null, 0, 0, String.format(
					"RSS %.0f MiB with %d links, %.0f MiB with 1; live heap %.2f MiB per link (%.0f MiB, %.0f MiB)", rss,
					links, rssOne, (heap - heapOne) / (links - 1), heap, heapOne));
		}
		finally {
			finish(many);
		}
	}

	/** The same load straight over loopback: one reader per blaster, all at once, measured as the bridge is. */
	private Measured loopbacks(int links, int rate) throws Exception {
		List<Blaster> blasters = blasters(links, rate, Scenarios.WARM_UP + this.nanos + COLLECTION);
		List<AutoCloseable> sockets = new ArrayList<>();
		try {
			List<Receiver> readers = new ArrayList<>();
			for (Blaster blaster : blasters) {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), blaster.port());
				sockets.add(socket);
				Receiver reader = new Receiver(false, 0);
				InputStream in = socket.getInputStream();
				read(() -> reader.readLines(in));
				readers.add(reader);
			}
			blasters.forEach(Blaster::go);
			Thread.sleep(Duration.ofNanos(Scenarios.WARM_UP).toMillis());
			// the readers are in this process: what it used is the harness's, and there is no bridge
			Measured measured = measure(blasters, readers, () -> 0L);
			for (int i = 0; i < links; i++) {
				caughtUp(readers.get(i), blasters.get(i).written());
			}
			return measured;
		}
		finally {
			close(sockets);
			finish(blasters);
		}
	}

	/**
	 * The measured seconds: the latencies of the frames received in them, the rate, and the
	 * CPU that the server under test and this process used; then the blasters stop.
	 */
	private Measured measure(List<Blaster> blasters, List<Receiver> receivers, LongSupplier serverCpu)
			throws InterruptedException {
		receivers.forEach(Receiver::takeLatencies);
		long received = receivers.stream().mapToLong(Receiver::count).sum();
		long cpu = serverCpu.getAsLong();
		long harnessCpu = harnessCpuNanos();
		long start = System.nanoTime();
		Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
		long elapsed = System.nanoTime() - start;
		long frames = receivers.stream().mapToLong(Receiver::count).sum() - received;
		Measured measured = new Measured(Latencies.merge(receivers), frames, elapsed, serverCpu.getAsLong() - cpu,
				harnessCpuNanos() - harnessCpu);
		blasters.forEach(Blaster::stop);
		for (Blaster blaster : blasters) {
			blaster.awaitDone();
		}
		return measured;
	}

	private static long harnessCpuNanos() {
		return ProcessHandle.current().info().totalCpuDuration().orElseThrow().toNanos();
	}

	/** What a run measured: its latencies, the frames the receivers took, and the CPU the server and the harness used, in those nanoseconds. */
	private record Measured(Latencies latencies, long frames, long nanos, long cpuNanos, long harnessCpuNanos) {

		double framesPerSecond() {
			return this.frames * 1e9 / this.nanos;
		}

		double cores() {
			return (double) this.cpuNanos / this.nanos;
		}

		double harnessCores() {
			return (double) this.harnessCpuNanos / this.nanos;
		}

		double microsPerFrame() {
			return this.cpuNanos / 1e3 / Math.max(1, this.frames);
		}

	}

	private static List<Blaster> blasters(int count, int rate, long nanos) throws Exception {
		List<Blaster> blasters = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			blasters.add(new Blaster(64, rate).serve(nanos));
		}
		return blasters;
	}

	private static void caughtUp(Receiver receiver, long written) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (receiver.lastSeq() < written && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
	}

	private static void read(Runnable reader) {
		Thread thread = new Thread(reader, "link-subscriber");
		thread.setDaemon(true);
		thread.start();
	}

	/** Lets every blaster's thread end, whether it was told to go or not, and closes it. */
	private static void finish(List<Blaster> blasters) {
		for (Blaster blaster : blasters) {
			blaster.stop();
			blaster.go();
		}
		close(blasters);
	}

	private static void close(List<? extends AutoCloseable> all) {
		for (AutoCloseable each : all) {
			try {
				each.close();
			}
			catch (Exception ex) {
				System.err.println("Closing " + each + " failed: " + ex);
			}
		}
	}

}
