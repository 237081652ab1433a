package io.tcpbridge.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * A real upstream server on 127.0.0.1 for tests. It records the raw bytes each connection
 * sends and writes raw bytes back, so tests state the wire format themselves instead of
 * trusting the codec under test. It can be stopped and started again on the same port.
 */
public final class TestUpstream implements AutoCloseable {

	private final ExecutorService threads = Executors.newCachedThreadPool();

	private final List<Connection> connections = new CopyOnWriteArrayList<>();

	private final List<Long> acceptNanos = new CopyOnWriteArrayList<>();

	private volatile boolean closeOnAccept;

	private volatile boolean resetOnAccept;

	private volatile UnaryOperator<String> lineResponder;

	private volatile ServerSocket server;

	private int port;

	private TestUpstream(int port) {
		this.port = port;
		start();
	}

	/** Starts on a free port. */
	public static TestUpstream onFreePort() {
		return new TestUpstream(0);
	}

	public int port() {
		return this.port;
	}

	/**
	 * Accepts connections again, on the same port as before. The previous listening socket
	 * may take a moment to let go of the port after it is closed, so binding is retried.
	 */
	public synchronized void start() {
		ServerSocket socket = await().atMost(Duration.ofSeconds(5)).ignoreException(BindException.class)
			.until(this::bind, (bound) -> bound != null);
		this.port = socket.getLocalPort();
		this.server = socket;
		this.threads.execute(() -> accept(socket));
	}

	private ServerSocket bind() throws IOException {
		ServerSocket socket = new ServerSocket();
		socket.setReuseAddress(true);
		try {
			socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			return socket;
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** Stops listening and closes every connection, as an upstream that goes away. */
	public synchronized void stop() {
		try {
			this.server.close();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.connections.forEach(Connection::close);
	}

	/** Closes every connection but keeps listening, as an upstream that drops its clients. */
	public void dropConnections() {
		this.connections.forEach(Connection::close);
	}

	/** From now on, answers each line a connection sends with a line of its own. */
	public void respondToLines(UnaryOperator<String> responder) {
		this.lineResponder = responder;
	}

	/** From now on, resets each connection (an RST, not a FIN) as soon as it is accepted. */
	public void resetEachConnectionOnAccept(boolean reset) {
		this.resetOnAccept = reset;
	}

	/** From now on, closes each connection as soon as it is accepted. */
	public void closeEachConnectionOnAccept(boolean close) {
		this.closeOnAccept = close;
	}

	private void accept(ServerSocket socket) {
		while (!socket.isClosed()) {
			try {
				Socket client = socket.accept();
				this.acceptNanos.add(System.nanoTime());
				if (this.closeOnAccept || this.resetOnAccept) {
					if (this.resetOnAccept) {
						client.setSoLinger(true, 0);
					}
					client.close();
					continue;
				}
				Connection connection = new Connection(client, this);
				this.connections.add(connection);
				this.threads.execute(connection::read);
			}
			catch (IOException ex) {
				if (!socket.isClosed()) {
					throw new UncheckedIOException(ex);
				}
			}
		}
	}

	/** How many connections were accepted so far. */
	public int accepted() {
		return this.acceptNanos.size();
	}

	/** When each connection was accepted, from {@link System#nanoTime()}. */
	public List<Long> acceptTimes() {
		return new ArrayList<>(this.acceptNanos);
	}

	/** The most recent connection. */
	public Connection latest() {
		if (this.connections.isEmpty()) {
			throw new IllegalStateException("No connection was accepted yet");
		}
		return this.connections.get(this.connections.size() - 1);
	}

	/** Connections that are still open. */
	public long openConnections() {
		return this.connections.stream().filter(Connection::isOpen).count();
	}

	@Override
	public void close() {
		stop();
		this.threads.shutdownNow();
		try {
			this.threads.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One accepted connection: what it sent, and a way to write to it. */
	public static final class Connection {

		private final Socket socket;

		private final TestUpstream upstream;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private int answeredUpTo;

		private volatile boolean endOfStream;

		private volatile boolean reset;

		Connection(Socket socket, TestUpstream upstream) {
			this.socket = socket;
			this.upstream = upstream;
		}

		/** Reads until the bridge closes its end; the socket stays open until the test closes it. */
		void read() {
			byte[] buffer = new byte[8192];
			try {
				InputStream in = this.socket.getInputStream();
				int n;
				while ((n = in.read(buffer)) >= 0) {
					synchronized (this.received) {
						this.received.write(buffer, 0, n);
					}
					answerLines();
				}
				this.endOfStream = true;
			}
			catch (SocketException ex) {
				this.reset = !this.socket.isClosed();
			}
			catch (IOException ex) {
				this.reset = true;
			}
		}

		/** Answers each complete line, if there is a responder; a line read without one goes unanswered. */
		private void answerLines() {
			UnaryOperator<String> responder = this.upstream.lineResponder;
			byte[] all = received();
			for (int i = this.answeredUpTo; i < all.length; i++) {
				if (all[i] == '\n') {
					String line = new String(all, this.answeredUpTo, i - this.answeredUpTo, StandardCharsets.UTF_8);
					this.answeredUpTo = i + 1;
					if (responder != null) {
						write((responder.apply(line) + "\n").getBytes(StandardCharsets.UTF_8));
					}
				}
			}
		}

		/** Every byte the bridge wrote on this connection so far. */
		public byte[] received() {
			synchronized (this.received) {
				return this.received.toByteArray();
			}
		}

		/** Writes bytes as they are: the test spells out delimiters and headers. */
		public synchronized void write(byte[] wire) {
			try {
				OutputStream out = this.socket.getOutputStream();
				out.write(wire);
				out.flush();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		/** Whether the bridge closed its end cleanly (a FIN, read as end of stream). */
		public boolean closedByPeer() {
			return this.endOfStream;
		}

		/** Whether the bridge's end went away with an error instead of a clean close. */
		public boolean resetByPeer() {
			return this.reset;
		}

		public boolean isOpen() {
			return !this.socket.isClosed() && !this.endOfStream && !this.reset;
		}

		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
