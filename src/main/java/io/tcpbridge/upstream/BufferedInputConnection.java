package io.tcpbridge.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;

import io.tcpbridge.framing.ReadBuffer;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.integration.ip.tcp.connection.TcpNetConnection;
import org.springframework.integration.ip.tcp.connection.TcpNetConnectionSupport;

/**
 * A NET connection whose input stream is a {@link ReadBuffer}, in which the frame codecs find
 * the end of a frame with one scan rather than a read per byte, and which knows when it last
 * read a byte: that tells a silent, perhaps dead, peer.
 */
final class BufferedInputConnection extends TcpNetConnection {

	private static final int BUFFER_SIZE = 64 * 1024;

	private final long openedNanos = System.nanoTime();

	private volatile @Nullable ReadBuffer buffered;

	private BufferedInputConnection(Socket socket, boolean server, boolean lookupHost,
			ApplicationEventPublisher publisher, String connectionFactoryName) {
		super(socket, server, lookupHost, publisher, connectionFactoryName);
	}

	/** Makes the connection factory create connections of this kind. */
	static TcpNetConnectionSupport support() {
		return BufferedInputConnection::new;
	}

	@Override
	protected InputStream inputStream() throws IOException {
		// only the connection's reading thread calls this
		ReadBuffer buffer = this.buffered;
		if (buffer == null) {
			buffer = new ReadBuffer(super.inputStream(), BUFFER_SIZE);
			this.buffered = buffer;
		}
		return buffer;
	}

	/** How long since a byte last arrived, or since the connection opened. */
	Duration silence() {
		ReadBuffer buffer = this.buffered;
		return Duration.ofNanos(System.nanoTime() - ((buffer != null) ? buffer.lastReadNanos() : this.openedNanos));
	}

}
