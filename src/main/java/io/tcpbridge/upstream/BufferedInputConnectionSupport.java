package io.tcpbridge.upstream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

/**
 * Gives each connection a buffered input stream. Frame codecs read byte by byte to find a
 * delimiter; on the socket's own stream each of those reads would be a system call.
 */
final class BufferedInputConnectionSupport implements TcpNetConnectionSupport {

	private static final int BUFFER_SIZE = 64 * 1024;

	@Override
	public TcpNetConnection createNewConnection(Socket socket, boolean server, boolean lookupHost,
			ApplicationEventPublisher applicationEventPublisher, String connectionFactoryName) {
		return new TcpNetConnection(socket, server, lookupHost, applicationEventPublisher, connectionFactoryName) {

			private InputStream buffered;

			@Override
			protected InputStream inputStream() throws IOException {
				if (this.buffered == null) {
					this.buffered = new BufferedInputStream(super.inputStream(), BUFFER_SIZE);
				}
				return this.buffered;
			}

		};
	}

}
