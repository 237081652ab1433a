package io.tcpbridge.links;

import io.tcpbridge.upstream.LinkStatus;

/**
 * Where a link stands, as this bridge can tell: what health, readiness and
 * {@code /api/links} show. Alone, its own connection; as a replica of a cluster, the
 * connection of the replica that holds the link, as the link's shared stream tells it.
 */
@FunctionalInterface
public interface LinkStatuses {

	LinkStatus of(Link link);

	/** The bridge alone: each link's own connection. */
	LinkStatuses STANDALONE = (link) -> link.upstream().status();

}
