package io.tcpbridge.cluster;

import io.tcpbridge.links.Link;

/**
 * One link as a replica of the cluster holds it: what Redis holds of it, who leads it, and
 * its shared stream, appended by the leader and read by every replica.
 */
record ClusterLink(Link link, LinkMeta meta, LinkLeadership leadership, StreamAppender appender, StreamTail tail) {

	/**
	 * Routes what the link reads, and its changes of state, to the shared stream instead of
	 * its hub, which is fed from the stream.
	 */
	ClusterLink {
		StreamAppender stream = appender;
		LinkLeadership leader = leadership;
		link.upstream().frames().subscribe((message) -> stream.frame((byte[]) message.getPayload()));
		link.upstream().onStateChanged((event) -> stream.state(leader.entry(event)));
	}

	String name() {
		return this.link.name();
	}

}
