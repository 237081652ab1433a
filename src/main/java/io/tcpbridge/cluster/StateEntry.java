package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStateChangedEvent;
import org.jspecify.annotations.Nullable;

/**
 * A change of a link's state as its leader wrote it into the link's shared stream, and into
 * its hash as the latest: {@code <state>\n<epoch millis>\n<node>\n<url>\n<reason>}.
 *
 * @param state the link's new state
 * @param at when it changed, on the leader's clock
 * @param node the replica that held the link
 * @param url where the other replicas reach that replica, to hand it sends
 * @param reason why the link went down, or {@code null}
 */
record StateEntry(LinkState state, Instant at, String node, String url, @Nullable String reason) {

	static StateEntry of(LinkStateChangedEvent event, ClusterNode node) {
		return new StateEntry(event.state(), event.at(), node.id(), node.url(), event.reason());
	}

	byte[] encode() {
		String text = this.state.name() + "\n" + this.at.toEpochMilli() + "\n" + this.node + "\n" + this.url + "\n"
				+ ((this.reason != null) ? this.reason : "");
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * @throws IllegalArgumentException when the bytes are not a state entry
	 */
	static StateEntry decode(byte[] bytes) {
		String[] parts = new String(bytes, StandardCharsets.UTF_8).split("\n", 5);
		if (parts.length != 5) {
			throw new IllegalArgumentException("Not a link state entry: " + new String(bytes, StandardCharsets.UTF_8));
		}
		return new StateEntry(LinkState.valueOf(parts[0]), Instant.ofEpochMilli(Long.parseLong(parts[1])), parts[2],
				parts[3], parts[4].isEmpty() ? null : parts[4]);
	}

	LinkStateChangedEvent event(String link) {
		return new LinkStateChangedEvent(link, this.state, this.at, this.reason, null);
	}

}
