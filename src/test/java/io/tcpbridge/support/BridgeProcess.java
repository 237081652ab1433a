package io.tcpbridge.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A bridge in a process of its own, as a replica runs: started from the test classpath with
 * the given properties, on a free port, and killed (SIGKILL) or stopped (SIGTERM, a graceful
 * shutdown) by the test. Its output goes to a file, named when it fails to start.
 */
public final class BridgeProcess implements AutoCloseable {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final int port;

	private final Path log;

	private final Process process;

	private BridgeProcess(String name, int port, Path log, Process process) {
		this.name = name;
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/** Starts a replica and waits until its web server answers. */
	public static BridgeProcess start(String name, String... properties) {
		int port = RedisServer.freePort();
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
				"io.tcpbridge.TcpBridgeApplication", "--server.port=" + port, "--bridge.demo.enabled=false",
				"--bridge.cluster.node-id=" + name, "--logging.level.io.tcpbridge=DEBUG"));
		command.addAll(List.of(properties));
		try {
			Path log = Files.createTempFile("replica-" + name + "-", ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			BridgeProcess bridge = new BridgeProcess(name, port, log, process);
			await().atMost(Duration.ofSeconds(90))
				.failFast("replica " + name + " exited; see " + log, () -> !process.isAlive())
				.until(() -> bridge.status("/actuator/health/liveness") == 200);
			return bridge;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a replica of the cluster on that Redis, before that upstream; it may not have
	 * read the link's stream yet.
	 */
	public static BridgeProcess replica(String name, int redisPort, int upstreamPort, Duration lockTtl,
			String... more) {
		List<String> properties = new ArrayList<>(List.of("--bridge.cluster.mode=redis",
				"--spring.data.redis.port=" + redisPort, "--bridge.cluster.lock-ttl=" + lockTtl.toMillis() + "ms",
				"--bridge.upstream.port=" + upstreamPort));
		properties.addAll(List.of(more));
		return start(name, properties.toArray(String[]::new));
	}

	public String name() {
		return this.name;
	}

	public int port() {
		return this.port;
	}

	public Path log() {
		return this.log;
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** The status of a GET, or 0 when it does not answer. */
	public int status(String path) {
		try {
			return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
		}
		catch (IOException ex) {
			return 0;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 0;
		}
	}

	/** The body of a GET. */
	public String get(String path) {
		return send(request(path).GET().build()).body();
	}

	public HttpResponse<String> post(String path, String contentType, String body) {
		return send(request(path).header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).timeout(Duration.ofSeconds(10));
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Whether it holds the link, as its metrics say. */
	public boolean leads(String link) {
		return get("/actuator/prometheus").contains("bridge_cluster_leader{link=\"" + link + "\"} 1");
	}

	/** Ends it at once, as a host that died: no shutdown, no handover. */
	public void kill() {
		this.process.destroyForcibly();
		await().atMost(Duration.ofSeconds(10)).until(() -> !this.process.isAlive());
	}

	/** Asks it to shut down (SIGTERM), and waits until it has. */
	public void stop() {
		this.process.destroy();
		await().atMost(Duration.ofSeconds(60)).until(() -> !this.process.isAlive());
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			kill();
		}
	}

}
