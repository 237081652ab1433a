package io.tcpbridge.cluster;

import java.time.Instant;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkStatuses;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStatus;

/**
 * Where a link stands on a replica: its own connection where it holds the link; elsewhere
 * the holder's, as the link's stream last told it. A replica that cannot reach Redis cannot
 * tell, and says the link is down, with why: it is not ready, and serves nothing it cannot
 * vouch for.
 */
final class ClusterLinkStatuses implements LinkStatuses {

	private final ClusterLinks links;

	private final ClusterNode node;

	private final ClusterFaults faults;

	ClusterLinkStatuses(ClusterLinks links, ClusterNode node, ClusterFaults faults) {
		this.links = links;
		this.node = node;
		this.faults = faults;
	}

	@Override
	public LinkStatus of(Link link) {
		ClusterLink held = this.links.get(link.name());
		LinkStatus own = link.upstream().status();
		if (held.leadership().leads()) {
			return own.heldBy(this.node.id());
		}
		ClusterFaults.Fault fault = this.faults.current();
		if (fault != null) {
			return own.heldBy(null, LinkState.DISCONNECTED, null, new LinkStatus.LinkError(
					"This replica cannot reach Redis, so it cannot tell: " + fault.message(), fault.since()));
		}
		StateEntry state = held.tail().latestState();
		if (!held.tail().joined() || state == null) {
			return own.heldBy(null, LinkState.DISCONNECTED, null, new LinkStatus.LinkError(held.tail().joined()
					? "No replica has held the link yet" : "This replica has not read the link's stream yet",
					Instant.now()));
		}
		return own.heldBy(state.node(), state.state(), state.at(),
				(state.reason() != null) ? new LinkStatus.LinkError(state.reason(), state.at()) : null);
	}

}
