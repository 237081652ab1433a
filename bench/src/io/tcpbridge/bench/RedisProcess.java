package io.tcpbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** This machine's {@code redis-server} on a free port of 127.0.0.1, without persistence, for the cluster's rows. */
final class RedisProcess implements AutoCloseable {

	private final Process process;

	private final int port;

	private RedisProcess(Process process, int port) {
		this.process = process;
		this.port = port;
	}

	static RedisProcess start() throws Exception {
		int port = Server.freePort();
		Path directory = Files.createTempDirectory("bench-redis-");
		Process process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no", "--dir", directory.toString())
			.redirectErrorStream(true)
			.redirectOutput(directory.resolve("redis.log").toFile())
			.start();
		RedisProcess redis = new RedisProcess(process, port);
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (!redis.answers()) {
			if (System.nanoTime() > deadline || !process.isAlive()) {
				redis.close();
				throw new IllegalStateException("redis-server did not start; see " + directory.resolve("redis.log"));
			}
			Thread.sleep(50);
		}
		return redis;
	}

	int port() {
		return this.port;
	}

	private boolean answers() {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			return new String(in.readNBytes(5), StandardCharsets.US_ASCII).equals("+PONG");
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** CPU time redis-server has used so far, in nanoseconds. */
	long cpuNanos() {
		return this.process.toHandle().info().totalCpuDuration().orElseThrow().toNanos();
	}

	@Override
	public void close() throws InterruptedException {
		this.process.destroy();
		this.process.waitFor();
	}

}
