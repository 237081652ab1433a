package io.tcpbridge.links;

import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.reply.RequestReply;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.ConnectionWait;
import io.tcpbridge.upstream.UpstreamLink;

/**
 * One named link, whole: its settings, its framing, the connection and its state, the hub
 * its subscribers read, and request and reply over it. Nothing of one link is shared with
 * another but threads.
 *
 * @param properties its settings
 * @param codec its framing
 * @param upstream the connection to its upstream, its state and its writes
 * @param hub its frames, numbered, for its subscribers
 * @param requestReply {@code POST /send?await=reply} on this link
 * @param connectionWait {@code POST /send?wait=} on this link
 */
public record Link(LinkProperties properties, FrameCodec codec, UpstreamLink upstream, FrameHub hub,
		RequestReply requestReply, ConnectionWait connectionWait) {

	public String name() {
		return this.properties.name();
	}

}
