package io.tcpbridge.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * An upstream that only reads: it takes what the bridge writes for {@code POST /send}, lines
 * of {@code <client> <seq> <padding>}, and checks that each client's frames arrived once and
 * in order.
 */
final class Sink implements AutoCloseable {

	private final ServerSocket server;

	private final Map<Long, Long> nextSeq = new HashMap<>();

	private volatile long received;

	private long lost;

	private long duplicatesOrReordered;

	private byte[] line = new byte[256];

	private int lineLength;

	private Thread thread;

	Sink() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
	}

	int port() {
		return this.server.getLocalPort();
	}

	Sink serve() {
		this.thread = new Thread(() -> {
			try (Socket client = this.server.accept()) {
				InputStream in = client.getInputStream();
				byte[] buffer = new byte[64 * 1024];
				int n;
				while ((n = in.read(buffer)) > 0) {
					for (int i = 0; i < n; i++) {
						if (buffer[i] == '\n') {
							frame();
							this.lineLength = 0;
						}
						else if (this.lineLength < this.line.length) {
							this.line[this.lineLength++] = buffer[i];
						}
					}
				}
			}
			catch (IOException ex) {
				// closed at the end of the run
			}
		}, "sink");
		this.thread.start();
		return this;
	}

	private synchronized void frame() {
		int i = 0;
		long client = 0;
		while (this.line[i] != ' ') {
			client = client * 10 + (this.line[i++] - '0');
		}
		i++;
		long seq = 0;
		while (i < this.lineLength && this.line[i] != ' ') {
			seq = seq * 10 + (this.line[i++] - '0');
		}
		// wrk asks its first thread for one request before the run and never sends it, so a
		// connection's numbers count from its first frame; that no frame is missing at all,
		// the count of frames against answered requests tells
		long expected = this.nextSeq.getOrDefault(client, seq);
		if (seq < expected) {
			this.duplicatesOrReordered++;
		}
		else {
			this.lost += seq - expected;
			this.nextSeq.put(client, seq + 1);
		}
		this.received++;
	}

	long received() {
		return this.received;
	}

	synchronized long lost() {
		return this.lost;
	}

	synchronized long duplicatesOrReordered() {
		return this.duplicatesOrReordered;
	}

	@Override
	public void close() throws IOException {
		this.server.close();
	}

}
