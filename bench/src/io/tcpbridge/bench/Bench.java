package io.tcpbridge.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark suite: each scenario runs the bridge as its own process against a blaster on
 * 127.0.0.1 and prints its figure next to a baseline measured in the same run.
 *
 * <pre>java -cp bench/target/classes io.tcpbridge.bench.Bench target/tcp-bridge-0.1.0-SNAPSHOT.jar [seconds]</pre>
 */
public final class Bench {

	private static final List<String> rows = new ArrayList<>();

	private Bench() {
	}

	public static void main(String[] args) throws Exception {
		File jar = new File(args[0]);
		long seconds = (args.length > 1) ? Long.parseLong(args[1]) : 5;
		System.out.println("tcp-bridge benchmark: " + Runtime.getRuntime().availableProcessors() + " cores, Java "
				+ System.getProperty("java.version") + ", " + seconds + " s per run");
		for (int size : new int[] { 64, 1024 }) {
			Result limit = loopback(size, seconds);
			Result bridge = sse(jar, size, seconds);
			row("TCP->SSE, 1 subscriber, " + size + " B, max rate", bridge, limit);
		}
		System.out.println();
		System.out.printf(Locale.ROOT, "%-42s %12s %12s %7s %8s %8s %10s %6s%n", "scenario", "frames/s",
				"baseline/s", "ratio", "p50 ms", "p99 ms", "lost", "order");
		rows.forEach(System.out::println);
		System.out.println("\nbaseline: the same blaster straight into a plain socket reader (the loopback limit). "
				+ "lost = frames the blaster wrote that the subscriber never got; order = frames out of order.");
	}

	private static void row(String scenario, Result result, Result baseline) {
		rows.add(String.format(Locale.ROOT, "%-42s %12.0f %12.0f %7.3f %8.3f %8.3f %10d %6d", scenario,
				result.framesPerSecond, baseline.framesPerSecond, result.framesPerSecond / baseline.framesPerSecond,
				result.p50, result.p99, result.lost, result.outOfOrder));
	}

	/** The loopback limit: the blaster into a plain reader in this process. */
	private static Result loopback(int size, long seconds) throws Exception {
		try (Blaster blaster = new Blaster(size)) {
			blaster.serve(Duration.ofSeconds(seconds).toNanos());
			Receiver receiver = new Receiver();
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), blaster.port())) {
				blaster.go();
				receiver.read(socket.getInputStream(), false);
			}
			blaster.awaitDone();
			return Result.of(receiver, blaster.written());
		}
	}

	/** The bridge: the blaster as its upstream, one SSE subscriber. */
	private static Result sse(File jar, int size, long seconds) throws Exception {
		try (Blaster blaster = new Blaster(size)) {
			int httpPort = freePort();
			blaster.serve(Duration.ofSeconds(seconds).toNanos());
			List<String> command = new ArrayList<>(List.of("java", "-Xms512m", "-Xmx512m"));
			// e.g. BRIDGE_JAVA_OPTS=-XX:StartFlightRecording=filename=bench/target/bridge.jfr to profile the bridge
			String extra = System.getenv("BRIDGE_JAVA_OPTS");
			if (extra != null && !extra.isBlank()) {
				command.addAll(List.of(extra.trim().split("\\s+")));
			}
			command.addAll(List.of("-jar", jar.getPath(), "--server.port=" + httpPort, "--bridge.demo.enabled=false",
					"--bridge.upstream.port=" + blaster.port(), "--bridge.framing.mode=lf", "--logging.level.root=warn"));
			Process bridge = new ProcessBuilder(command)
				.redirectErrorStream(true)
				.redirectOutput(new File("bench/target/bridge-" + size + ".log"))
				.start();
			try {
				HttpClient http = HttpClient.newHttpClient();
				awaitReady(http, httpPort);
				HttpResponse<InputStream> stream = http.send(
						HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/stream")).build(),
						HttpResponse.BodyHandlers.ofInputStream());
				Receiver receiver = new Receiver();
				Thread reader = new Thread(() -> {
					try {
						receiver.read(stream.body(), true);
					}
					catch (IOException ex) {
						// the stream is closed once the run is over
					}
				}, "sse-subscriber");
				reader.start();
				blaster.go();
				blaster.awaitDone();
				// let what is under way arrive, then end the stream
				long written = blaster.written();
				long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
				while (receiver.lastSeq() < written && System.nanoTime() < deadline) {
					reader.join(100);
				}
				stream.body().close();
				reader.join(5000);
				return Result.of(receiver, written);
			}
			finally {
				bridge.destroy();
				bridge.waitFor();
			}
		}
	}

	private static void awaitReady(HttpClient http, int port) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline) {
			try {
				HttpResponse<String> health = http.send(HttpRequest.newBuilder(
						URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness")).build(),
						HttpResponse.BodyHandlers.ofString());
				if (health.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		throw new IllegalStateException("The bridge did not become ready in 60 s");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** What one run measured. */
	private record Result(double framesPerSecond, double p50, double p99, long lost, long outOfOrder) {

		static Result of(Receiver receiver, long written) {
			return new Result(receiver.framesPerSecond(), receiver.latencies().percentileMillis(50),
					receiver.latencies().percentileMillis(99), written - receiver.received(), receiver.outOfOrder());
		}

	}

}
