package io.tcpbridge.bench;

import java.io.File;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark suite: every scenario, run several times, each run measuring the bridge and
 * its baseline side by side; one table of medians at the end.
 *
 * <pre>java -cp bench/target/classes io.tcpbridge.bench.Bench JAR CLASSPATH [seconds] [runs] [scenario words...]</pre>
 *
 * CLASSPATH is the bridge's dependencies, for the bare endpoint. Words select the scenarios
 * whose name holds one of them, e.g. {@code websocket}.
 */
public final class Bench {

	private Bench() {
	}

	/** A scenario: its name, what its figure is, and one run of it. */
	private record Scenario(String name, String unit, boolean higherIsBetter, Step step) {
	}

	@FunctionalInterface
	private interface Step {

		Scenarios.Run run() throws Exception;

	}

	public static void main(String[] args) throws Exception {
		File jar = new File(args[0]);
		long seconds = (args.length > 2) ? Long.parseLong(args[2]) : 5;
		int runs = (args.length > 3) ? Integer.parseInt(args[3]) : 3;
		List<String> only = (args.length > 4) ? Arrays.asList(args).subList(4, args.length) : List.of();
		Scenarios scenarios = new Scenarios(jar, args[1], seconds);
		RequestReplies replies = new RequestReplies(jar, Duration.ofSeconds(seconds).toNanos());
		LinkScenarios links = new LinkScenarios(jar, Duration.ofSeconds(seconds).toNanos());
		ClusterScenarios clusters = new ClusterScenarios(jar, Duration.ofSeconds(seconds).toNanos());
		List<Scenario> suite = List.of(
				new Scenario("1  TCP->SSE, 1 subscriber, 64 B, max rate", "frames/s", true, () -> scenarios.sse(64, 0)),
				new Scenario("1  TCP->SSE, 1 subscriber, 64 B, 1M/s steady", "frames/s", true,
						() -> scenarios.sse(64, 1_000_000)),
				new Scenario("1  TCP->SSE, 1 subscriber, 1 KiB, max rate", "frames/s", true, () -> scenarios.sse(1024, 0)),
				new Scenario("2  TCP->SSE fan-out, 100 subscribers, 10k/s", "p99 ms", false,
						() -> scenarios.sseSteady(100, 10_000)),
				new Scenario("3  latency, SSE, 1 subscriber, 10k/s", "p99 ms", false, () -> scenarios.sseSteady(1, 10_000)),
				new Scenario("3  latency, WebSocket, 1 subscriber, 10k/s", "p99 ms", false,
						() -> scenarios.webSocketSteady(10_000)),
				new Scenario("4  TCP->WebSocket, 1 subscriber, max rate", "frames/s", true, scenarios::webSocketMaxRate),
				new Scenario("5  POST /send, 64 B, 4 keep-alive connections", "requests/s", true, scenarios::post),
				new Scenario("6  10,000 idle SSE subscribers, 20 frames/s", "RSS MiB", false,
						() -> scenarios.idleSubscribers(10_000, 20)),
				// the most that fit in this machine's 20,000 open files per process, with the bridge's own
				new Scenario("6  19,000 idle SSE subscribers, 20 frames/s", "RSS MiB", false,
						() -> scenarios.idleSubscribers(19_000, 20)),
				new Scenario("7  100 SSE at 1k/s, 1,000 stalled clients", "p99 ms", false,
						() -> scenarios.stalledClients(1_000, 100, 1_000)),
				new Scenario("7  the same, the system's send buffers", "p99 ms", false,
						() -> scenarios.stalledClients(1_000, 100, 1_000, "--bridge.stream.socket-send-buffer=0")),
				new Scenario("8  request-reply, 16 clients, 1 ms, serial", "requests/s", true, replies::serial),
				new Scenario("8  request-reply, 16 clients, 1 ms, fifo", "requests/s", true,
						() -> replies.pipelined("fifo", runs)),
				new Scenario("8  request-reply, 16 clients, 1 ms, key", "requests/s", true,
						() -> replies.pipelined("key", runs)),
				new Scenario("9  16 links x 10k/s, 1 SSE subscriber each", "p99 ms", false, () -> links.steady(16, 10_000)),
				new Scenario("9  16 links x 1k/s, 1 SSE subscriber each", "p99 ms", false, () -> links.steady(16, 1_000)),
				new Scenario("9  an idle link, among 100", "RSS MiB", false, () -> links.idle(100)),
				new Scenario("10 cluster of 2 on Redis, SSE on the follower, max rate", "frames/s", true,
						() -> clusters.streaming(0)),
				new Scenario("10 cluster of 2 on Redis, SSE on the follower, 10k/s", "p99 ms", false,
						() -> clusters.streaming(10_000)),
				new Scenario("10 cluster of 3 on Redis, failover: the leader killed", "s", false, clusters::failover));
		System.out.printf(Locale.ROOT, "tcp-bridge benchmark: %d cores, Java %s, %d s per run, median of %d runs%n",
				Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), seconds, runs);
		List<String> rows = new ArrayList<>();
		// the fastest any subscriber of each kind took frames in a scenario, against the harness's ceiling
		double fastestSse = 0;
		double fastestWebSocket = 0;
		for (Scenario scenario : suite) {
			if (!only.isEmpty() && only.stream().noneMatch((word) -> scenario.name().toLowerCase(Locale.ROOT).contains(word))) {
				continue;
			}
			List<Scenarios.Run> results = new ArrayList<>();
			for (int i = 0; i < runs; i++) {
				Scenarios.Run run = scenario.step().run();
				System.out.printf(Locale.ROOT, "  %s, run %d: %.3f %s, baseline %.3f%s%n", scenario.name(), i + 1,
						run.figure(), scenario.unit(), run.baseline(), run.note().isEmpty() ? "" : "; " + run.note());
				results.add(run);
			}
			rows.add(row(scenario, results));
			for (Scenarios.Run run : results) {
				if (scenario.unit().equals("frames/s") && scenario.name().contains("WebSocket")) {
					fastestWebSocket = Math.max(fastestWebSocket, run.figure());
				}
				else if (scenario.unit().equals("frames/s")) {
					fastestSse = Math.max(fastestSse, run.figure());
				}
			}
		}
		double sseCeiling = scenarios.ceiling(false);
		double webSocketCeiling = scenarios.ceiling(true);
		double fanOutCeiling = scenarios.fanOutCeiling(100, 10_000);
		System.out.println();
		System.out.printf(Locale.ROOT, "%-47s %-10s %11s %11s %7s %8s %8s %8s %8s %8s %6s%n", "scenario", "figure",
				"bridge", "baseline", "ratio", "p50 ms", "p99 ms", "p99.9 ms", "max ms", "lost", "order");
		rows.forEach(System.out::println);
		System.out.printf(Locale.ROOT, """

				baselines: 1, 2, 3 (SSE) the blaster straight into a plain socket reader, at the same rate;
				  3 (WebSocket) and 4 websockify between the same blaster and the same subscriber;
				  5 a bare endpoint in the same Spring Boot setup; 6 the same bridge before the idle subscribers came;
				  7 the same 100 subscribers at the same rate without the stalled clients;
				  8 serial: one client straight to the same upstream, one request at a time; fifo, key: serial, same run;
				  10 the same subscriber on a bridge alone, 30 s warm as the cluster, in the same run;
				  failover: the replicas' lock-ttl (10 s), the least a failover after a kill can take.
				ratio = bridge / baseline. lost = frames written upstream that a subscriber (or, for 5, the sink)
				  never got; order = duplicates and frames out of order. Latency columns: the bridge, warm-up excluded.
				harness ceiling (a trivial server into the same subscriber, 64 B): SSE %,.0f frames/s, WebSocket %,.0f frames/s;
				  100 SSE subscribers at 10k/s from a trivial fan-out server: p99 %.3f ms.
				the fastest SSE subscriber in these scenarios ran at %.0f%% of that ceiling, the fastest WebSocket
				  subscriber at %.0f%%: %s.
				""", sseCeiling, webSocketCeiling, fanOutCeiling, 100 * fastestSse / sseCeiling,
				100 * fastestWebSocket / webSocketCeiling,
				(fastestSse < sseCeiling / 2 && fastestWebSocket < webSocketCeiling / 2)
						? "well under it, so the harness was not what limited them"
						: "NOT well under it, so those figures may be the harness's own limit");
	}

	/** The median run by figure; baseline and ratio from the medians of each. */
	private static String row(Scenario scenario, List<Scenarios.Run> runs) {
		List<Scenarios.Run> byFigure = new ArrayList<>(runs);
		byFigure.sort(Comparator.comparingDouble(Scenarios.Run::figure));
		Scenarios.Run median = byFigure.get(byFigure.size() / 2);
		double baseline = runs.stream().mapToDouble(Scenarios.Run::baseline).sorted().toArray()[runs.size() / 2];
		Latencies latencies = median.latencies();
		return String.format(Locale.ROOT, "%-47s %-10s %11s %11s %7.3f %8s %8s %8s %8s %8d %6d", scenario.name(),
				scenario.unit(), number(median.figure()), number(baseline), median.figure() / baseline,
				millis(latencies, 50), millis(latencies, 99), millis(latencies, 99.9), millis(latencies, 100),
				median.lost(), median.disorder());
	}

	private static String number(double value) {
		return (value >= 100) ? String.format(Locale.ROOT, "%,.0f", value) : String.format(Locale.ROOT, "%.3f", value);
	}

	private static String millis(Latencies latencies, double percentile) {
		return (latencies == null) ? "-" : String.format(Locale.ROOT, "%.3f", latencies.percentileMillis(percentile));
	}

}
