package io.tcpbridge.bench;

import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * 8: {@code POST /send?await=reply} from {@value #CLIENTS} clients at once (wrk), each sending
 * its next request as soon as it has its reply, to an upstream that answers each request 1 ms
 * after it came ({@link Responder}): serial correlation takes them one at a time, fifo and key
 * pipeline them. That each reply is its own request's is the tests' to show.
 */
final class RequestReplies {

	static final int CLIENTS = 16;

	private static final long WARM_UP = Duration.ofSeconds(5).toNanos();

	private static final long WARM_UP_SENDS = Duration.ofSeconds(60).toNanos();

	private static final long WARM_UP_REPLIES = Duration.ofSeconds(30).toNanos();

	private final File jar;

	private final long nanos;

	RequestReplies(File jar, long nanos) {
		this.jar = jar;
		this.nanos = nanos;
	}

	/** Serial's requests/s in each run so far, for fifo and key to be measured against in the same run of the suite. */
	private final List<Double> serialRuns = new ArrayList<>();

	private int pipelinedRuns;

	/** Serial, next to one client that talks to the responder itself over a socket, one request at a time. */
	Scenarios.Run serial() throws Exception {
		Load serial = load("serial");
		this.serialRuns.add(serial.perSecond());
		return new Scenarios.Run(serial.perSecond(), direct(), null, serial.failed(), 0, serial.note());
	}

	/**
	 * Fifo or key, next to serial in the same run of the suite: run i of each is measured
	 * against run i of serial, or against serial measured now when serial did not run.
	 */
	Scenarios.Run pipelined(String correlation, int runs) throws Exception {
		int run = this.pipelinedRuns++ % runs;
		double serial = (run < this.serialRuns.size()) ? this.serialRuns.get(run) : load("serial").perSecond();
		Load pipelined = load(correlation);
		return new Scenarios.Run(pipelined.perSecond(), serial, null, pipelined.failed(), 0,
				pipelined.note() + String.format("; serial %.0f requests/s", serial));
	}

	private Load load(String correlation) throws Exception {
		List<String> properties = new ArrayList<>(List.of("--bridge.reply.correlation=" + correlation));
		if (correlation.equals("key")) {
			properties.add("--bridge.reply.key=regex:\"id\":(\\d+)");
		}
		try (Responder responder = new Responder();
				Server bridge = Server.bridge(this.jar, responder.port(), "bridge-reply-" + correlation,
						properties.toArray(String[]::new))) {
			return run(bridge.port());
		}
	}

	/**
	 * wrk with {@value #CLIENTS} keep-alive connections, each sending its next request when it
	 * has its reply, bodies {@code {"id":N}} unique across connections; measured after a
	 * warm-up. On two cores the JIT compiler is still busy with the request path after half a
	 * minute of serial requests (a few hundred a second), which would measure the compiler:
	 * the warm-up is first {@link #WARM_UP_SENDS} of plain sends, the same request path
	 * thousands of times a second, then {@link #WARM_UP_REPLIES} of the measured load.
	 */
	private Load run(int port) throws Exception {
		Path sends = Path.of("bench/target/send.lua");
		Files.writeString(sends, """
				function request()
				  return wrk.format("POST", "/send", { ["Content-Type"] = "text/plain" }, '{"id":0}')
				end
				""", StandardCharsets.UTF_8);
		Path script = Path.of("bench/target/reply.lua");
		Files.writeString(script, """
				local threads = 0
				function setup(thread)
				  threads = threads + 1
				  thread:set("n", threads)
				end
				local seq = 0
				function request()
				  seq = seq + 1
				  return wrk.format("POST", "/send?await=reply", { ["Content-Type"] = "text/plain" },
				    '{"id":' .. (n * 1000000000 + seq) .. '}')
				end
				""", StandardCharsets.UTF_8);
		wrk(port, sends, WARM_UP_SENDS, 4);
		wrk(port, script, WARM_UP_REPLIES, CLIENTS);
		return wrk(port, script, this.nanos, CLIENTS);
	}

	private static Load wrk(int port, Path script, long nanos, int connections) throws Exception {
		Process wrk = new ProcessBuilder("wrk", "-t2", "-c" + connections, "-d" + Duration.ofNanos(nanos).toSeconds() + "s",
				"--latency", "-s", script.toString(), "http://127.0.0.1:" + port + "/send")
			.redirectErrorStream(true)
			.start();
		String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		wrk.waitFor();
		Matcher rate = Pattern.compile("Requests/sec:\\s+([\\d.]+)").matcher(output);
		Matcher p50 = Pattern.compile("(?m)^\\s+50%\\s+([\\d.]+)(us|ms|s)").matcher(output);
		Matcher p99 = Pattern.compile("(?m)^\\s+99%\\s+([\\d.]+)(us|ms|s)").matcher(output);
		Matcher failed = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
		if (!rate.find() || !p50.find() || !p99.find()) {
			throw new IllegalStateException("wrk printed no rate or latencies:\n" + output);
		}
		return new Load(Double.parseDouble(rate.group(1)), millis(p50), millis(p99),
				failed.find() ? Long.parseLong(failed.group(1)) : 0);
	}

	private static double millis(Matcher latency) {
		double value = Double.parseDouble(latency.group(1));
		return switch (latency.group(2)) {
			case "us" -> value / 1000;
			case "s" -> value * 1000;
			default -> value;
		};
	}

	/** One client straight to the responder, one request at a time: the least an exchange takes. */
	private double direct() throws Exception {
		try (Responder responder = new Responder();
				Socket socket = new Socket(InetAddress.getLoopbackAddress(), responder.port())) {
			socket.setTcpNoDelay(true);
			OutputStream out = socket.getOutputStream();
			InputStream in = socket.getInputStream();
			long end = System.nanoTime() + WARM_UP + this.nanos;
			long measureFrom = end - this.nanos;
			long measured = 0;
			for (long seq = 0; System.nanoTime() < end; seq++) {
				boolean counted = System.nanoTime() >= measureFrom;
				out.write(("{\"id\":" + seq + "}\n").getBytes(StandardCharsets.US_ASCII));
				for (int b = in.read(); b != '\n'; b = in.read()) {
					if (b < 0) {
						throw new IllegalStateException("the responder closed");
					}
				}
				measured += counted ? 1 : 0;
			}
			return measured / (this.nanos / 1e9);
		}
	}

	/** What wrk measured of one run: requests/s, latency percentiles in ms, answers not 2xx. */
	private record Load(double perSecond, double p50, double p99, long failed) {

		String note() {
			return String.format("p50 %.3f ms, p99 %.3f ms, %d answers not 2xx", this.p50, this.p99, this.failed);
		}

	}

}
