package io.tcpbridge.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scenarios of the suite, one run each: the bridge (or the peer it is measured against)
 * in a process of its own, the blaster or the sink as its upstream, subscribers in this
 * process, all on 127.0.0.1 and bounded in time.
 */
final class Scenarios {

	/**
	 * How long each streaming run goes before it is measured: a bridge just started is still
	 * compiling its hot paths and sizing its heap (young pauses of 15 to 50 ms in its first
	 * seconds on 2 cores, 4 ms after), and a long-running bridge is what users run. Frames of
	 * the warm-up still count for loss and order.
	 */
	static final long WARM_UP = Duration.ofSeconds(5).toNanos();

	/**
	 * How long before the end of the warm-up a streaming run collects the bridge's heap in
	 * full: what the bridge built while starting (its context, its classes' data, Jetty's and
	 * the JIT's first structures, some 25 MB) is then in the old generation, as in a bridge
	 * that has been up for minutes. Until then every young collection copies it again, up to
	 * 15 times: pauses of 13 to 36 ms in the first minute on two cores, 2 to 14 ms after the
	 * full collection, and at 10,000 frames/s the first long one can fall in the measured
	 * seconds. The measured run has the young collections of its own load, with their pauses.
	 */
	static final long SETTLE = Duration.ofSeconds(2).toNanos();

	/**
	 * wrk's run before the measured one, so that both servers are measured warm: on two
	 * cores the JIT compiler is still busy with Jetty's request path after 10 s.
	 */
	private static final long WARM_UP_LOAD = Duration.ofSeconds(30).toNanos();

	private final File jar;

	private final String harnessClasspath;

	private final long nanos;

	Scenarios(File jar, String harnessClasspath, long seconds) {
		this.jar = jar;
		this.harnessClasspath = harnessClasspath;
		this.nanos = Duration.ofSeconds(seconds).toNanos();
	}

	/** A measured figure next to its baseline from the same run. */
	record Run(double figure, double baseline, Latencies latencies, long lost, long disorder, String note) {
	}

	/**
	 * 1: frames the bridge carries to one SSE subscriber, next to the loopback limit: at the
	 * blaster's full rate, or at a steady rate (0 for full).
	 */
	Run sse(int size, int rate) throws Exception {
		Receiver limit = loopback(size, rate);
		try (Blaster blaster = new Blaster(size, rate).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-sse-" + size)) {
			Receiver subscriber = sse(bridge, WARM_UP);
			long written = blast(blaster, bridge, List.of(subscriber));
			return new Run(subscriber.framesPerSecond(), limit.framesPerSecond(), subscriber.latencies(),
					written - subscriber.count(), disorder(subscriber), "");
		}
	}

	/** 2 and 3: latency at a steady rate to SSE subscribers, next to the loopback at that rate. */
	Run sseSteady(int subscribers, int rate) throws Exception {
		Receiver limit = loopback(64, rate);
		try (Blaster blaster = new Blaster(64, rate).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-sse-steady-" + subscribers)) {
			List<Receiver> all = new ArrayList<>();
			for (int i = 0; i < subscribers; i++) {
				all.add(sse(bridge, WARM_UP));
			}
			long written = blast(blaster, bridge, all);
			long lost = subscribers * written - all.stream().mapToLong(Receiver::count).sum();
			Latencies latencies = Latencies.merge(all);
			return new Run(latencies.percentileMillis(99), limit.latencies().percentileMillis(99), latencies, lost,
					all.stream().mapToLong(Scenarios::disorder).sum(), "");
		}
	}

	/** 3: latency at a steady rate to one WebSocket subscriber, next to websockify at that rate. */
	Run webSocketSteady(int rate) throws Exception {
		Receiver peer = websockify(rate);
		try (Blaster blaster = new Blaster(64, rate).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-ws-steady")) {
			Receiver subscriber = webSocket(bridge.port(), false, WARM_UP);
			long written = blast(blaster, bridge, List.of(subscriber));
			return new Run(subscriber.latencies().percentileMillis(99), peer.latencies().percentileMillis(99),
					subscriber.latencies(), written - subscriber.count(), disorder(subscriber), "");
		}
	}

	/** 4: the most frames the bridge carries to one WebSocket subscriber, next to websockify. */
	Run webSocketMaxRate() throws Exception {
		Receiver peer = websockify(0);
		try (Blaster blaster = new Blaster(64, 0).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-ws")) {
			Receiver subscriber = webSocket(bridge.port(), false, WARM_UP);
			long written = blast(blaster, bridge, List.of(subscriber));
			return new Run(subscriber.framesPerSecond(), peer.framesPerSecond(), subscriber.latencies(),
					written - subscriber.count(), disorder(subscriber), "");
		}
	}

	/** 5: {@code POST /send} under wrk, next to a bare endpoint in the same Spring Boot setup. */
	Run post() throws Exception {
		double bare;
		try (Sink sink = new Sink().serve();
				Server endpoint = Server.bareEndpoint(this.harnessClasspath, sink.port())) {
			wrk(endpoint.port(), WARM_UP_LOAD, 100);
			bare = wrk(endpoint.port(), this.nanos, 0).requestsPerSecond();
		}
		try (Sink sink = new Sink().serve(); Server bridge = Server.bridge(this.jar, sink.port(), "bridge-post")) {
			Wrk warmUp = wrk(bridge.port(), WARM_UP_LOAD, 100);
			Wrk load = wrk(bridge.port(), this.nanos, 0);
			long answered = warmUp.requests() + load.requests();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (sink.received() < answered && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			long missing = Math.max(0, answered - sink.received());
			long failed = warmUp.failed() + load.failed();
			return new Run(load.requestsPerSecond(), bare, null, sink.lost() + missing + failed,
					sink.duplicatesOrReordered(),
					String.format("sink got %d frames for %d answered requests; %d gaps in a connection's numbers, "
							+ "%d answers not 2xx", sink.received(), answered, sink.lost(), failed));
		}
	}

	/**
	 * 6: memory with many idle SSE subscribers, and the latency of one more while they are
	 * there, next to the same subscribers of a trivial fan-out server: the least latency this
	 * machine gives so many sockets.
	 */
	Run idleSubscribers(int count, int rate) throws Exception {
		Run run = idleBridge(count, rate);
		// after the bridge's streams are closed: a process may have 20,000 files open, the harness too
		double floor = idleFloor(count, rate);
		return new Run(run.figure(), run.baseline(), run.latencies(), run.lost(), run.disorder(),
				String.format("%s, %.3f ms among as many of a trivial fan-out server", run.note(), floor));
	}

	private Run idleBridge(int count, int rate) throws Exception {
		try (Blaster blaster = new Blaster(64, rate).serve(Duration.ofMinutes(5).toNanos());
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-idle", List.of("-Xmx256m"),
						"--bridge.stream.max-subscribers=" + (count + 100))) {
			Receiver probe = sse(bridge.port(), "/stream", 0);
			blaster.go();
			Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
			Latencies alone = probe.takeLatencies();
			bridge.collectGarbage();
			double rssAlone = bridge.rssMiB();
			double heapAlone = bridge.heapUsedMiB();
			try (IdleStreams idle = new IdleStreams()) {
				long read = crowd(idle, count, bridge.port(), "/stream", probe, bridge::sseSubscribers);
				Latencies crowded = probe.takeLatencies();
				int subscribed = bridge.sseSubscribers();
				bridge.collectGarbage();
				double rss = bridge.rssMiB();
				double heap = bridge.heapUsedMiB();
				blaster.stop();
				return new Run(rss, rssAlone, crowded, 0, disorder(probe), String.format(
						"%d SSE subscribers, reading %.0f KiB/s in all; live heap %.0f MiB (%.0f MiB before them); "
								+ "probe p99 %.3f ms with them, %.3f ms alone",
						subscribed, read / 1024.0 / (this.nanos / 1e9), heap, heapAlone, crowded.percentileMillis(99),
						alone.percentileMillis(99)));
			}
		}
	}

	/** The probe's p99 among {@code count} idle subscribers of {@link FanOutServer}, measured as with the bridge. */
	private double idleFloor(int count, int rate) throws Exception {
		try (Server server = Server.fanOut(this.harnessClasspath, rate); IdleStreams idle = new IdleStreams()) {
			Receiver probe = sse(server.port(), "/", 0);
			crowd(idle, count, server.port(), "/", probe, () -> Integer.parseInt(server.get("/ready").body().trim()));
			return probe.takeLatencies().percentileMillis(99);
		}
	}

	/**
	 * Opens {@code count} idle streams of {@code path}, waits until the server counts them
	 * with the probe, and lets them read for a run; the probe's latencies are then those of
	 * the run. Returns what they read in the run.
	 */
	private long crowd(IdleStreams idle, int count, int port, String path, Receiver probe,
			Callable<Integer> subscribers) throws Exception {
		for (int i = 0; i < count; i++) {
			idle.open(port, path, "text/event-stream");
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
		while (subscribers.call() < count + 1 && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		probe.takeLatencies();
		long readBefore = idle.bytesRead();
		Thread.sleep(Duration.ofNanos(this.nanos).toMillis());
		return idle.bytesRead() - readBefore;
	}

	/**
	 * 7: healthy SSE subscribers at a steady rate while many more clients have asked for a
	 * stream and stopped reading, next to the same healthy subscribers alone; the stalled
	 * ones stay for the whole run, inside the stall timeout, so the run measures what they
	 * cost while they are there.
	 */
	Run stalledClients(int stalled, int healthy, int rate, String... properties) throws Exception {
		Latencies alone;
		int threadsAlone;
		double heapAlone;
		try (Blaster blaster = new Blaster(64, rate).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-healthy-alone", properties)) {
			List<Receiver> all = new ArrayList<>();
			for (int i = 0; i < healthy; i++) {
				all.add(sse(bridge, WARM_UP));
			}
			blast(blaster, bridge, all);
			alone = Latencies.merge(all);
			threadsAlone = bridge.threads();
			bridge.collectGarbage();
			heapAlone = bridge.heapUsedMiB();
		}
		try (Blaster blaster = new Blaster(64, rate).serve(this.nanos + WARM_UP);
				Server bridge = Server.bridge(this.jar, blaster.port(), "bridge-stalled", properties);
				StalledStreams stalledStreams = new StalledStreams()) {
			for (int i = 0; i < stalled; i++) {
				stalledStreams.open(bridge.port(), "/stream", "text/event-stream");
			}
			long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
			while (bridge.sseSubscribers() < stalled && System.nanoTime() < deadline) {
				Thread.sleep(100);
			}
			int threadsBefore = bridge.threads();
			List<Receiver> all = new ArrayList<>();
			for (int i = 0; i < healthy; i++) {
				all.add(sse(bridge, WARM_UP));
			}
			long written = blast(blaster, bridge, all);
			int threadsAfter = bridge.threads();
			int stillThere = bridge.sseSubscribers();
			bridge.collectGarbage();
			double heap = bridge.heapUsedMiB();
			Latencies crowded = Latencies.merge(all);
			long lost = healthy * written - all.stream().mapToLong(Receiver::count).sum();
			return new Run(crowded.percentileMillis(99), alone.percentileMillis(99), crowded, lost,
					all.stream().mapToLong(Scenarios::disorder).sum(), String.format(
							"%d subscribers left at the end (the stalled ones); bridge threads %d with them before the load, %d "
									+ "after it, %d without them; live heap %.1f MiB with them, %.1f MiB without; healthy "
									+ "p99 %.3f ms without them",
							stillThere, threadsBefore, threadsAfter, threadsAlone, heap, heapAlone,
							alone.percentileMillis(99)));
		}
	}

	/** The p99 latency the harness's SSE subscribers see from a trivial fan-out server, in ms. */
	double fanOutCeiling(int subscribers, int rate) throws Exception {
		try (Ceiling.FanOut server = new Ceiling.FanOut(subscribers, rate, this.nanos + WARM_UP)) {
			List<Receiver> all = new ArrayList<>();
			for (int i = 0; i < subscribers; i++) {
				Receiver receiver = new Receiver(true, WARM_UP);
				HttpStream stream = HttpStream.get(server.port(), "/", "text/event-stream");
				InputStream body = stream.body();
				start(() -> receiver.readLines(body), stream);
				all.add(receiver);
			}
			awaitQuiet(all.get(0));
			return Latencies.merge(all).percentileMillis(99);
		}
	}

	/** The most frames per second the harness's SSE or WebSocket subscriber takes from a trivial server. */
	double ceiling(boolean webSocket) throws Exception {
		try (Ceiling server = new Ceiling(webSocket, 64, this.nanos)) {
			Receiver receiver;
			if (webSocket) {
				receiver = webSocket(server.port(), false, 0);
			}
			else {
				receiver = new Receiver(true, 0);
				HttpStream stream = HttpStream.get(server.port(), "/", "text/event-stream");
				InputStream body = stream.body();
				start(() -> receiver.readLines(body), stream);
			}
			awaitQuiet(receiver);
			return receiver.framesPerSecond();
		}
	}

	/** The blaster straight into a plain socket reader. */
	private Receiver loopback(int size, int rate) throws Exception {
		try (Blaster blaster = new Blaster(size, rate).serve(this.nanos + WARM_UP);
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), blaster.port())) {
			Receiver receiver = new Receiver(false, WARM_UP);
			blaster.go();
			receiver.readLines(socket.getInputStream());
			blaster.awaitDone();
			return receiver;
		}
	}

	/** websockify between the blaster and a WebSocket subscriber that reads the byte stream as lines. */
	private Receiver websockify(int rate) throws Exception {
		int port = Server.freePort();
		try (Blaster blaster = new Blaster(64, rate).serve(this.nanos + WARM_UP)) {
			Process websockify = new ProcessBuilder("websockify", "127.0.0.1:" + port, "127.0.0.1:" + blaster.port())
				.redirectErrorStream(true)
				.redirectOutput(new File("bench/target/websockify.log"))
				.start();
			try {
				awaitListening(port);
				Receiver subscriber = webSocket(port, true, WARM_UP);
				blast(blaster, null, List.of(subscriber));
				return subscriber;
			}
			finally {
				websockify.destroy();
				websockify.waitFor();
			}
		}
	}

	private Receiver sse(Server bridge, long warmUp) throws IOException {
		return sse(bridge.port(), "/stream", warmUp);
	}

	private Receiver sse(int port, String path, long warmUp) throws IOException {
		Receiver receiver = new Receiver(true, warmUp);
		HttpStream stream = HttpStream.get(port, path, "text/event-stream");
		InputStream body = stream.body();
		start(() -> receiver.readLines(body), stream);
		return receiver;
	}

	private Receiver webSocket(int port, boolean lines, long warmUp) throws IOException {
		Receiver receiver = new Receiver(false, warmUp);
		WebSocketStream stream = WebSocketStream.open(port, lines ? "/" : "/ws");
		if (!lines) {
			stream.awaitFirstText();
		}
		start(() -> stream.read(receiver, lines), stream);
		return receiver;
	}

	private final List<AutoCloseable> open = new ArrayList<>();

	private final List<Thread> readers = new ArrayList<>();

	private void start(Runnable read, AutoCloseable stream) {
		Thread reader = new Thread(read, "subscriber");
		reader.setDaemon(true);
		reader.start();
		this.open.add(stream);
		this.readers.add(reader);
	}

	/**
	 * Starts the blaster, waits for it and for the subscribers to get what it wrote, and
	 * closes them; collects the bridge's heap in full {@link #SETTLE} before the warm-up ends
	 * (a peer that is not a JVM, {@code null}, has nothing to collect).
	 */
	private long blast(Blaster blaster, Server bridge, List<Receiver> subscribers) throws Exception {
		blaster.go();
		if (bridge != null) {
			Thread.sleep(Duration.ofNanos(WARM_UP - SETTLE).toMillis());
			bridge.collectGarbage();
		}
		blaster.awaitDone();
		long written = blaster.written();
		for (Receiver subscriber : subscribers) {
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			while (subscriber.lastSeq() < written && System.nanoTime() < deadline) {
				Thread.sleep(20);
			}
		}
		closeSubscribers();
		return written;
	}

	/** Waits until frames stop coming, then closes the subscribers. */
	private void awaitQuiet(Receiver receiver) throws Exception {
		long last = -1;
		while (receiver.count() != last || last == 0) {
			last = receiver.count();
			Thread.sleep(500);
		}
		closeSubscribers();
	}

	private void closeSubscribers() throws Exception {
		for (AutoCloseable stream : this.open) {
			stream.close();
		}
		for (Thread reader : this.readers) {
			reader.join(5000);
		}
		this.open.clear();
		this.readers.clear();
	}

	private static long disorder(Receiver receiver) {
		return receiver.duplicates() + receiver.outOfOrder();
	}

	private static void awaitListening(int port) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (true) {
			try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
				return;
			}
			catch (IOException ex) {
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("websockify did not listen in 30 s; see bench/target/websockify.log");
				}
				Thread.sleep(100);
			}
		}
	}

	/** What wrk measured. */
	record Wrk(long requests, double requestsPerSecond, long failed) {
	}

	/**
	 * wrk with keep-alive connections, one per thread, each sending 64-byte bodies numbered
	 * {@code <connection> <seq>} so that the sink can check order per connection; connections
	 * are numbered from {@code first + 1}.
	 */
	private Wrk wrk(int port, long nanos, int first) throws Exception {
		Path script = Path.of("bench/target/post.lua");
		Files.writeString(script, """
				local connections = 0
				function setup(thread)
				  connections = connections + 1
				  thread:set("n", connections)
				end
				function init(args)
				  connection = tonumber(args[1]) + n
				end
				local seq = 0
				function request()
				  seq = seq + 1
				  local head = connection .. " " .. seq .. " "
				  return wrk.format("POST", "/send", { ["Content-Type"] = "application/octet-stream" },
				    head .. string.rep("x", 64 - #head))
				end
				""", StandardCharsets.UTF_8);
		Process wrk = new ProcessBuilder("wrk", "-t4", "-c4", "-d" + Duration.ofNanos(nanos).toSeconds() + "s", "-s",
				script.toString(), "http://127.0.0.1:" + port + "/send", "--", Integer.toString(first))
			.redirectErrorStream(true)
			.start();
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		wrk.waitFor();
		Matcher requests = Pattern.compile("(\\d+) requests in").matcher(output);
		Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
		Matcher failed = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
		if (!requests.find() || !rate.find()) {
			throw new IllegalStateException("wrk said: " + output);
		}
		return new Wrk(Long.parseLong(requests.group(1)), Double.parseDouble(rate.group(1)),
				failed.find() ? Long.parseLong(failed.group(1)) : 0);
	}

}
