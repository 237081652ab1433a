package io.tcpbridge.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Clients that ask for a stream and then never read a byte of it: a phone that lost
 * coverage, a laptop that went to sleep, a proxy that hangs. Their sockets fill, and stay
 * full. No thread of the harness is spent on them.
 */
final class StalledStreams implements AutoCloseable {

	private final List<SocketChannel> channels = new ArrayList<>();

	/** Opens one more, with a small receive buffer, and sends the request. */
	void open(int port, String path, String accept) throws IOException {
		SocketChannel channel = SocketChannel.open();
		channel.setOption(StandardSocketOptions.SO_RCVBUF, 4096);
		channel.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
		channel.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAccept: " + accept
				+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
		this.channels.add(channel);
	}

	@Override
	public void close() throws IOException {
		for (SocketChannel channel : this.channels) {
			channel.close();
		}
	}

}
