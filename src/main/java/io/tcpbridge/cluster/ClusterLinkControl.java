package io.tcpbridge.cluster;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkControl;
import io.tcpbridge.problem.Problems;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;

/**
 * Start and stop as the cluster's intent for a link, kept in Redis whichever replica was
 * asked: the replica that holds the link acts on it at once, and any that takes it over
 * later finds it there. Reconnect is the holder's, as it replaces its connection.
 */
final class ClusterLinkControl implements LinkControl {

	private final ClusterLinks links;

	ClusterLinkControl(ClusterLinks links) {
		this.links = links;
	}

	@Override
	public void start(Link link) {
		ClusterLink held = keep(link, false);
		if (held.leadership().leads()) {
			link.upstream().start();
		}
	}

	@Override
	public void stop(Link link) {
		ClusterLink held = keep(link, true);
		if (held.leadership().leads()) {
			link.upstream().stop();
		}
	}

	@Override
	public void reconnect(Link link) {
		ClusterLink held = this.links.get(link.name());
		if (!held.leadership().leads()) {
			StateEntry state = held.tail().latestState();
			throw Problems.exception(HttpStatus.CONFLICT, "Link held by another replica",
					"Replica " + ((state != null) ? state.node() : "(none yet)") + " holds link " + link.name()
							+ " and its connection; ask that replica to reconnect it");
		}
		link.upstream().reconnect();
	}

	private ClusterLink keep(Link link, boolean stopped) {
		ClusterLink held = this.links.get(link.name());
		try {
			held.meta().keepStopped(stopped);
		}
		catch (DataAccessException ex) {
			throw Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "Cluster unavailable",
					"The cluster keeps whether link " + link.name() + " runs in Redis, and Redis did not answer: "
							+ ClusterFaults.describe(ex) + ". Nothing was changed.");
		}
		return held;
	}

}
