package io.tcpbridge.upstream;

import java.time.Clock;
import java.util.List;

import io.tcpbridge.framing.FrameCodec;
import org.jspecify.annotations.Nullable;

import org.springframework.integration.ip.tcp.connection.TcpConnection;
import org.springframework.messaging.support.GenericMessage;

/**
 * The frames a link's configuration gives it: those written first on every connection
 * ({@code on-connect}), before the link is connected and open to other writes, and the
 * heartbeat's. Each must travel in the link's framing: start-up fails, naming the property,
 * when one cannot.
 */
final class ConfiguredFrames {

	/** Where the link's properties are, {@code bridge.upstream} or {@code bridge.links.<name>.upstream}. */
	private final String settings;

	private final List<byte[]> onConnect;

	private final LinkTraffic traffic;

	private final LinkWrites writes;

	private final Clock clock;

	/** @throws IllegalStateException naming the property, when a frame cannot be sent in the framing */
	ConfiguredFrames(UpstreamProperties properties, String settings, FrameCodec codec, LinkTraffic traffic,
			LinkWrites writes, Clock clock) {
		this.settings = settings;
		this.onConnect = properties.onConnectFrames();
		this.traffic = traffic;
		this.writes = writes;
		this.clock = clock;
		for (int i = 0; i < this.onConnect.size(); i++) {
			check(codec, this.onConnect.get(i), settings + ".on-connect[" + i + "]");
		}
		if (properties.heartbeat().enabled()) {
			check(codec, properties.heartbeat().frame(), settings + ".heartbeat.payload");
		}
	}

	private static void check(FrameCodec codec, byte[] frame, String property) {
		try {
			codec.check(frame);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + " cannot be sent in " + codec + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Writes the on-connect frames to a connection that has just opened, on its reading
	 * thread, before it reads.
	 * @return why they could not be written, or {@code null} when they were
	 */
	@Nullable String writeOnConnect(TcpConnection opened) {
		try {
			for (byte[] frame : this.onConnect) {
				opened.send(new GenericMessage<>(frame));
				this.traffic.sent(frame, this.clock.millis());
			}
			this.writes.wrote();
			return null;
		}
		catch (RuntimeException ex) {
			return "Writing the on-connect frames (" + this.settings + ".on-connect) failed: " + UpstreamLink.describe(ex);
		}
	}

}
