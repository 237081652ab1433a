package io.tcpbridge.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;

import javax.net.ssl.SSLSocket;

import jdk.net.ExtendedSocketOptions;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpConnectionSupport;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;

/**
 * Spring Integration's NET client connection factory, with two changes. The connect timeout
 * is honoured to the millisecond (the factory's own setting takes whole seconds). And a
 * connect under way is aborted when the factory stops, so that stopping the link or shutting
 * the bridge down never waits out a connect timeout against an upstream that does not answer.
 */
final class UpstreamConnectionFactory extends TcpNetClientConnectionFactory {

	private static final Log logger = LogFactory.getLog(UpstreamConnectionFactory.class);

	private final Duration connectTimeout;

	private final UpstreamProperties.KeepAlive keepAlive;

	private volatile @Nullable Socket connecting;

	private volatile boolean connectAllowed;

	/** How its warnings name the link and its settings. */
	private final String label;

	private final String settings;

	/**
	 * @param label how the log names the link, {@code Link plc1 (10.0.0.7:502)}
	 * @param settings where the link's properties are, {@code bridge.upstream} or {@code bridge.links.<name>.upstream}
	 */
	UpstreamConnectionFactory(String label, String settings, String host, int port, Duration connectTimeout,
			UpstreamProperties.KeepAlive keepAlive) {
		super(host, port);
		this.label = label;
		this.settings = settings;
		this.connectTimeout = connectTimeout;
		this.keepAlive = keepAlive;
	}

	/**
	 * Tunes TCP keepalive where the JDK and the system allow it; with TLS, shakes hands now,
	 * so that a refused certificate is a failed attempt rather than a connection that dies.
	 */
	@Override
	protected void setSocketAttributes(Socket socket) throws SocketException {
		super.setSocketAttributes(socket);
		if (socket.getKeepAlive()) {
			tuneKeepAlive(socket);
		}
		if (socket instanceof SSLSocket tls) {
			handshake(tls);
		}
	}

	private void handshake(SSLSocket socket) throws SocketException {
		int soTimeout = socket.getSoTimeout();
		try {
			socket.setSoTimeout(Math.toIntExact(this.connectTimeout.toMillis()));
			socket.startHandshake();
			socket.setSoTimeout(soTimeout);
		}
		catch (IOException ex) {
			SocketException failed = new SocketException("TLS handshake failed: " + ex.getMessage());
			failed.initCause(ex);
			throw failed;
		}
	}

	private void tuneKeepAlive(Socket socket) {
		try {
			if (this.keepAlive.idle() != null) {
				socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, Math.toIntExact(this.keepAlive.idle().toSeconds()));
			}
			if (this.keepAlive.interval() != null) {
				socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL,
						Math.toIntExact(this.keepAlive.interval().toSeconds()));
			}
			if (this.keepAlive.count() != null) {
				socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, this.keepAlive.count());
			}
		}
		catch (UnsupportedOperationException | IOException ex) {
			logger.warn(this.label + ": TCP keepalive timing (" + this.settings + ".keep-alive) is not supported "
					+ "here, the system's defaults apply: " + ex.getMessage());
		}
	}

	/**
	 * Lets the next {@code getConnection()} open a socket, or not. Only the link's own attempts
	 * connect, on its schedule: not the inbound adapter's own timer, nor anything else that
	 * asks the factory for its connection while the link holds none.
	 */
	void allowConnect(boolean allowed) {
		this.connectAllowed = allowed;
	}

	@Override
	protected TcpConnectionSupport obtainConnection() throws InterruptedException {
		TcpConnectionSupport shared = obtainSharedConnection();
		if (shared != null) {
			return shared;
		}
		if (!this.connectAllowed) {
			throw new UncheckedIOException(new SocketException("The upstream is not connected; the link reconnects on its own schedule"));
		}
		return obtainNewConnection();
	}

	@Override
	protected Socket createSocket(String host, int port) throws IOException {
		Socket socket = getTcpSocketFactorySupport().getSocketFactory().createSocket();
		this.connecting = socket;
		try {
			socket.connect(new InetSocketAddress(host, port), Math.toIntExact(this.connectTimeout.toMillis()));
			return socket;
		}
		finally {
			this.connecting = null;
		}
	}

	@Override
	public void stop() {
		Socket socket = this.connecting;
		if (socket != null) {
			try {
				socket.close();
			}
			catch (IOException ex) {
				logger.debug("Aborting the connect under way failed", ex);
			}
		}
		super.stop();
	}

}
