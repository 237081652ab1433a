package io.tcpbridge.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code redis-server} of this machine, on a free port of 127.0.0.1, that a test
 * starts, stops and starts again as a Redis that goes away and comes back. Nothing is saved
 * to disk: a stop loses everything, as a Redis without persistence does.
 */
public final class RedisServer implements AutoCloseable {

	private final int port;

	private final Path directory;

	private final List<String> options;

	private Process process;

	private RedisServer(int port, List<String> options) {
		this.port = port;
		this.options = options;
		try {
			this.directory = Files.createTempDirectory("redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts one on a free port; it cannot bind port 0 itself. */
	public static RedisServer onFreePort(String... options) {
		RedisServer redis = notStarted(options);
		redis.start();
		return redis;
	}

	/** One whose port is chosen, for a test that starts it later, with options such as {@code --requirepass}. */
	public static RedisServer notStarted(String... options) {
		return new RedisServer(freePort(), List.of(options));
	}

	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Starts it, on the same port, and waits until it answers. */
	public synchronized void start() {
		try {
			List<String> command = new ArrayList<>(List.of("redis-server", "--port", String.valueOf(this.port), "--bind",
					"127.0.0.1", "--save", "", "--appendonly", "no", "--dir", this.directory.toString()));
			command.addAll(this.options);
			this.process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("redis-server could not start: is Debian's redis-server installed?", ex);
		}
		await().atMost(Duration.ofSeconds(10)).until(this::answers);
	}

	/** Stops it at once, as a Redis that crashed: everything it held is gone. */
	public synchronized void kill() {
		if (this.process != null) {
			this.process.destroyForcibly();
			await().atMost(Duration.ofSeconds(10)).until(() -> !this.process.isAlive());
			this.process = null;
		}
	}

	/** Whether it answers PING. */
	public boolean answers() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
			socket.setSoTimeout(500);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] answer = new byte[7];
			int read = in.readNBytes(answer, 0, answer.length);
			String answered = new String(answer, 0, read, StandardCharsets.US_ASCII);
			// one that asks for a password is up too
			return answered.startsWith("+PONG") || answered.startsWith("-NOAUTH");
		}
		catch (IOException ex) {
			return false;
		}
	}

	@Override
	public void close() {
		kill();
	}

}
