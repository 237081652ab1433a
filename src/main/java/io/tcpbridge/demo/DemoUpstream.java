package io.tcpbridge.demo;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.links.Link;
import io.tcpbridge.links.Links;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * A small upstream server inside the bridge, on 127.0.0.1: it speaks the configured framing,
 * echoes every frame it receives, and sends {@code tick <n>} to every client each tick.
 * Plain blocking sockets, one thread per client: it serves a handful of clients, to show
 * the bridge working.
 */
@Component
@ConditionalOnBooleanProperty(name = "bridge.demo.enabled", matchIfMissing = true)
class DemoUpstream implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(DemoUpstream.class);

	private final DemoProperties properties;

	private final FrameCodec codec;

	private final Set<Client> clients = ConcurrentHashMap.newKeySet();

	private final AtomicLong ticks = new AtomicLong();

	private volatile ServerSocket server;

	private ExecutorService threads;

	private ScheduledExecutorService ticker;

	/** Speaks the framing of the link that connects to it, or else of the first link. */
	DemoUpstream(DemoProperties properties, Links links) {
		this.properties = properties;
		Link served = links.all()
			.stream()
			.filter((link) -> link.properties().upstream().port() == properties.port())
			.findFirst()
			.orElse(links.all().iterator().next());
		// a codec of its own: the link's counts what the link skips
		this.codec = served.properties().framing().codec();
	}

	@Override
	public void start() {
		try {
			ServerSocket socket = new ServerSocket();
			socket.setReuseAddress(true);
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.properties.port()));
			this.server = socket;
		}
		catch (IOException ex) {
			throw new IllegalStateException("The demo upstream cannot listen on 127.0.0.1:" + this.properties.port()
					+ " (bridge.demo.port): " + ex.getMessage(), ex);
		}
		this.threads = Executors.newCachedThreadPool(new CustomizableThreadFactory("demo-upstream-"));
		this.ticker = Executors.newSingleThreadScheduledExecutor(new CustomizableThreadFactory("demo-ticker-"));
		long interval = this.properties.tickInterval().toMillis();
		this.ticker.scheduleAtFixedRate(this::tick, interval, interval, TimeUnit.MILLISECONDS);
		this.threads.execute(this::accept);
		logger.info("Demo upstream listening on 127.0.0.1:" + this.properties.port() + " (" + this.codec
				+ "): echoes every frame, sends a tick every " + interval + " ms");
	}

	private void accept() {
		ServerSocket socket = this.server;
		while (!socket.isClosed()) {
			try {
				Client client = new Client(socket.accept());
				this.clients.add(client);
				this.threads.execute(client::echo);
			}
			catch (IOException ex) {
				if (!socket.isClosed()) {
					logger.warn("Demo upstream stopped accepting: " + ex.getMessage());
				}
				return;
			}
		}
	}

	private void tick() {
		byte[] frame = ("tick " + this.ticks.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
		for (Client client : this.clients) {
			client.write(frame);
		}
	}

	@Override
	public void stop() {
		this.ticker.shutdownNow();
		try {
			this.server.close();
		}
		catch (IOException ex) {
			logger.debug("Closing the demo upstream's server socket failed", ex);
		}
		this.clients.forEach(Client::close);
		this.threads.shutdownNow();
	}

	@Override
	public boolean isRunning() {
		ServerSocket socket = this.server;
		return socket != null && !socket.isClosed();
	}

	/** Starts before anything that may connect to it, and stops after. */
	@Override
	public int getPhase() {
		return 0;
	}

	/** One connected client: its socket and a lock, as the echo and the ticker both write. */
	private final class Client {

		private final Socket socket;

		private final OutputStream out;

		Client(Socket socket) throws IOException {
			this.socket = socket;
			this.out = new BufferedOutputStream(socket.getOutputStream());
		}

		void echo() {
			try (Socket s = this.socket) {
				BufferedInputStream in = new BufferedInputStream(s.getInputStream());
				while (true) {
					write(DemoUpstream.this.codec.deserialize(in));
				}
			}
			catch (SoftEndOfStreamException ex) {
				logger.debug("Demo client " + this.socket.getRemoteSocketAddress() + " left");
			}
			catch (IOException ex) {
				logger.debug("Demo client " + this.socket.getRemoteSocketAddress() + " dropped: " + ex.getMessage());
			}
			finally {
				DemoUpstream.this.clients.remove(this);
			}
		}

		synchronized void write(byte[] frame) {
			try {
				DemoUpstream.this.codec.serialize(frame, this.out);
				this.out.flush();
			}
			catch (IOException | IllegalArgumentException ex) {
				logger.debug("Demo upstream could not write to " + this.socket.getRemoteSocketAddress() + ": "
						+ ex.getMessage());
				close();
			}
		}

		void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				logger.debug("Closing a demo client failed", ex);
			}
		}

	}

}
