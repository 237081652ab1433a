package io.tcpbridge.bench;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server under test in a process of its own (the bridge, the bare endpoint, or a trivial
 * fan-out), on a free port: started, awaited until ready, measured from outside, and ended.
 */
final class Server implements AutoCloseable {

	private static final HttpClient http = HttpClient.newHttpClient();

	private final Process process;

	private final int port;

	private Server(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	/**
	 * The bridge jar against the upstream on {@code upstreamPort}, in lf framing.
	 * {@code BRIDGE_JAVA_OPTS} adds JVM options, e.g.
	 * {@code -XX:StartFlightRecording=filename=bench/target/bridge.jfr} to profile it.
	 */
	static Server bridge(File jar, int upstreamPort, String name, String... properties) throws Exception {
		return bridge(jar, upstreamPort, name, List.of("-Xms512m", "-Xmx512m"), properties);
	}

	static Server bridge(File jar, int upstreamPort, String name, List<String> jvmOptions, String... properties)
			throws Exception {
		List<String> all = new ArrayList<>(List.of("--bridge.upstream.port=" + upstreamPort, "--bridge.framing.mode=lf"));
		all.addAll(List.of(properties));
		return bridgeWith(jar, name, jvmOptions, all);
	}

	/** The bridge jar with one lf link per upstream port, named {@code l0}, {@code l1}, ... */
	static Server bridgeOfLinks(File jar, List<Integer> upstreamPorts, String name) throws Exception {
		List<String> links = new ArrayList<>();
		for (int i = 0; i < upstreamPorts.size(); i++) {
			links.add("--bridge.links.l" + i + ".upstream.port=" + upstreamPorts.get(i));
		}
		return bridgeWith(jar, name, List.of("-Xms512m", "-Xmx512m"), links);
	}

	private static Server bridgeWith(File jar, String name, List<String> jvmOptions, List<String> properties)
			throws Exception {
		int port = freePort();
		List<String> command = new ArrayList<>(List.of("java"));
		command.addAll(jvmOptions);
		String extra = System.getenv("BRIDGE_JAVA_OPTS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		command.addAll(List.of("-jar", jar.getPath(), "--server.port=" + port, "--bridge.demo.enabled=false",
				"--logging.level.root=warn"));
		command.addAll(properties);
		return start(command, port, name, "/actuator/health/readiness");
	}

	/** {@link BareEndpoint} with the bridge's classpath, writing to the upstream on {@code upstreamPort}. */
	static Server bareEndpoint(String classpath, int upstreamPort) throws Exception {
		int port = freePort();
		return start(List.of("java", "-Xms512m", "-Xmx512m", "-cp", classpath, BareEndpoint.class.getName(),
				"--server.port=" + port, "--bare.upstream-port=" + upstreamPort, "--logging.level.root=warn"), port,
				"bare-endpoint", "/ready");
	}

	/** {@link FanOutServer}, a trivial fan-out at {@code rate} frames per second. */
	static Server fanOut(String classpath, int rate) throws Exception {
		int port = freePort();
		return start(List.of("java", "-cp", classpath, FanOutServer.class.getName(), Integer.toString(port),
				Integer.toString(rate)), port, "fan-out-server", "/ready");
	}

	private static Server start(List<String> command, int port, String name, String readyPath) throws Exception {
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(new File("bench/target/" + name + ".log"))
			.start();
		Server server = new Server(process, port);
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (System.nanoTime() < deadline && process.isAlive()) {
			try {
				if (server.get(readyPath).statusCode() == 200) {
					return server;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(100);
		}
		server.close();
		throw new IllegalStateException(name + " did not become ready in 60 s; see bench/target/" + name + ".log");
	}

	int port() {
		return this.port;
	}

	/** Once more on a fresh connection if the pooled one was closed under it (the server closes idle ones). */
	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

	/** SSE subscribers the bridge counts now. */
	int sseSubscribers() throws Exception {
		Matcher sse = Pattern.compile("\"sse\"\\s*:\\s*(\\d+)").matcher(get("/api/connection").body());
		return sse.find() ? Integer.parseInt(sse.group(1)) : -1;
	}

	/** Threads of the process, from {@code /proc}. */
	int threads() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + this.process.pid() + "/status"))) {
			if (line.startsWith("Threads:")) {
				return Integer.parseInt(line.replaceAll("\\D", ""));
			}
		}
		return -1;
	}

	/** Resident memory of the process, from {@code /proc}, in MiB. */
	double rssMiB() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + this.process.pid() + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
			}
		}
		return Double.NaN;
	}

	/** CPU time the process has used so far, all its threads, in nanoseconds. */
	long cpuNanos() {
		return this.process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
	}

	/** Runs a full garbage collection in the process, so that the heap in use is what is live. */
	void collectGarbage() throws Exception {
		new ProcessBuilder("jcmd", Long.toString(this.process.pid()), "GC.run").redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start()
			.waitFor();
	}

	/** Heap in use, from the bridge's Prometheus endpoint, in MiB. */
	double heapUsedMiB() throws Exception {
		double bytes = 0;
		Matcher heap = Pattern.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} (\\S+)$")
			.matcher(get("/actuator/prometheus").body());
		while (heap.find()) {
			bytes += Double.parseDouble(heap.group(1));
		}
		return bytes / (1024.0 * 1024.0);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/** Ends the process with SIGKILL: no shutdown of its own. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

}
