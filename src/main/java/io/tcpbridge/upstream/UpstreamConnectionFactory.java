package io.tcpbridge.upstream;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

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

	private volatile @Nullable Socket connecting;

	UpstreamConnectionFactory(String host, int port, Duration connectTimeout) {
		super(host, port);
		this.connectTimeout = connectTimeout;
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
