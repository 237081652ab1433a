package io.tcpbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The least any server can do for many subscribers on this machine: a trivial SSE fan-out
 * in a process of its own (its sockets count against a process's open files, as the
 * bridge's do), with one writing thread per core, each owning every n-th subscriber. At a
 * steady rate, each thread writes the frames due to each of its subscribers in one write,
 * in the bridge's format, starting each round at a random one of them, so that no
 * subscriber always comes first: a subscriber's latency is where it fell in the round.
 * {@code GET /ready} answers 200 with the number of subscribers; every other GET subscribes.
 * Runs until it is ended.
 */
final class FanOutServer {

	private final List<List<SocketChannel>> shares = new ArrayList<>();

	private final AtomicInteger subscribers = new AtomicInteger();

	private FanOutServer(int threads) {
		for (int i = 0; i < threads; i++) {
			this.shares.add(new ArrayList<>());
		}
	}

	/** Arguments: the port, and the frames per second. */
	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		long interval = 1_000_000_000L / Integer.parseInt(args[1]);
		FanOutServer server = new FanOutServer(Runtime.getRuntime().availableProcessors());
		long start = System.nanoTime();
		for (int i = 0; i < server.shares.size(); i++) {
			List<SocketChannel> share = server.shares.get(i);
			Thread writer = new Thread(() -> server.write(share, start, interval), "fan-out-" + i);
			writer.setDaemon(true);
			writer.start();
		}
		server.accept(port);
	}

	private void accept(int port) throws IOException {
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
			while (true) {
				SocketChannel client = listener.accept();
				client.socket().setTcpNoDelay(true);
				if (head(client).startsWith("GET /ready ")) {
					client.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\n"
							+ String.format("%12d", this.subscribers.get())));
					client.close();
					continue;
				}
				client.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"));
				List<SocketChannel> share = this.shares.get(this.subscribers.getAndIncrement() % this.shares.size());
				synchronized (share) {
					share.add(client);
				}
			}
		}
	}

	private void write(List<SocketChannel> share, long start, long interval) {
		byte[] payload = new byte[63];
		Arrays.fill(payload, (byte) 'x');
		StringBuilder events = new StringBuilder();
		long seq = 0;
		while (true) {
			long due = (System.nanoTime() - start) / interval + 1;
			if (seq >= due) {
				LockSupport.parkNanos(start + seq * interval - System.nanoTime());
				continue;
			}
			events.setLength(0);
			while (seq < due) {
				Blaster.stamp(payload, ++seq, System.nanoTime());
				events.append("event: frame\nid: lx3k9a2b-").append(seq).append("\ndata: ")
					.append(new String(payload, StandardCharsets.US_ASCII)).append("\n\n");
			}
			byte[] chunk = events.toString().getBytes(StandardCharsets.US_ASCII);
			ByteBuffer frames = ByteBuffer.allocate(chunk.length + 16)
				.put(ascii(Integer.toHexString(chunk.length) + "\r\n"))
				.put(chunk)
				.put(ascii("\r\n"))
				.flip();
			SocketChannel[] round;
			synchronized (share) {
				round = share.toArray(new SocketChannel[0]);
			}
			int first = (round.length == 0) ? 0 : ThreadLocalRandom.current().nextInt(round.length);
			for (int i = 0; i < round.length; i++) {
				SocketChannel client = round[(first + i) % round.length];
				try {
					client.write(frames.duplicate());
				}
				catch (IOException ex) {
					synchronized (share) {
						share.remove(client);
					}
				}
			}
		}
	}

	private static String head(SocketChannel client) throws IOException {
		ByteBuffer head = ByteBuffer.allocate(4096);
		String text = "";
		while (!text.contains("\r\n\r\n") && client.read(head) > 0) {
			text = new String(head.array(), 0, head.position(), StandardCharsets.US_ASCII);
		}
		return text;
	}

	private static ByteBuffer ascii(String text) {
		return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
	}

}
