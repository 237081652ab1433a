package io.tcpbridge.bench;

import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Scenario 9, many links in one bridge: each link's upstream a {@link Blaster} of its own,
 * each link's stream read by a subscriber of its own, all at once.
 */
final class LinkScenarios {

	/** As in {@link Scenarios}: the run before the measured seconds, and the full collection near its end. */
	private static final long WARM_UP = Scenarios.WARM_UP;

	private static final long SETTLE = Scenarios.SETTLE;

	private final File jar;

	private final long nanos;

	LinkScenarios(File jar, long nanos) {
		this.jar = jar;
		this.nanos = nanos;
	}

	/**
	 * {@code links} links at {@code rate} frames/s each, one SSE subscriber each, next to as
	 * many readers of as many blasters straight over loopback at the same time.
	 */
	Scenarios.Run steady(int links, int rate) throws Exception {
		Latencies floor = loopbacks(links, rate);
		List<Blaster> blasters = blasters(links, rate, this.nanos + WARM_UP);
		List<AutoCloseable> streams = new ArrayList<>();
		try (Server bridge = Server.bridgeOfLinks(this.jar, blasters.stream().map(Blaster::port).toList(),
				"bridge-links-" + links)) {
			List<Receiver> subscribers = new ArrayList<>();
			for (int i = 0; i < links; i++) {
				Receiver subscriber = new Receiver(true, WARM_UP);
				HttpStream stream = HttpStream.get(bridge.port(), "/links/l" + i + "/stream", "text/event-stream");
				InputStream body = stream.body();
				streams.add(stream);
				read(() -> subscriber.readLines(body));
				subscribers.add(subscriber);
			}
			blasters.forEach(Blaster::go);
			Thread.sleep(Duration.ofNanos(WARM_UP - SETTLE).toMillis());
			bridge.collectGarbage();
			long lost = 0;
			long disorder = 0;
			for (int i = 0; i < links; i++) {
				Blaster blaster = blasters.get(i);
				blaster.awaitDone();
				Receiver subscriber = subscribers.get(i);
				caughtUp(subscriber, blaster.written());
				lost += blaster.written() - subscriber.count();
				disorder += subscriber.duplicates() + subscriber.outOfOrder();
			}
			Latencies latencies = Latencies.merge(subscribers);
			double carried = subscribers.stream().mapToDouble(Receiver::framesPerSecond).sum();
			return new Scenarios.Run(latencies.percentileMillis(99), floor.percentileMillis(99), latencies, lost,
					disorder, String.format("%.0f frames/s in all, p99 over all %d streams", carried, links));
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

	/** The same load straight over loopback: one reader per blaster, all at once. */
	private Latencies loopbacks(int links, int rate) throws Exception {
		List<Blaster> blasters = blasters(links, rate, this.nanos + WARM_UP);
		List<AutoCloseable> sockets = new ArrayList<>();
		try {
			List<Receiver> readers = new ArrayList<>();
			for (Blaster blaster : blasters) {
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), blaster.port());
				sockets.add(socket);
				Receiver reader = new Receiver(false, WARM_UP);
				InputStream in = socket.getInputStream();
				read(() -> reader.readLines(in));
				readers.add(reader);
			}
			blasters.forEach(Blaster::go);
			for (int i = 0; i < links; i++) {
				blasters.get(i).awaitDone();
				caughtUp(readers.get(i), blasters.get(i).written());
			}
			return Latencies.merge(readers);
		}
		finally {
			close(sockets);
			finish(blasters);
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
