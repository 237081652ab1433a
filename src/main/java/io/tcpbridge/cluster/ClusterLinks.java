package io.tcpbridge.cluster;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/** Every link of this replica, as the cluster holds it, by name; and the replica's node id. */
final class ClusterLinks {

	private final ClusterNode node;

	private final Map<String, ClusterLink> byName = new LinkedHashMap<>();

	ClusterLinks(ClusterNode node, Collection<ClusterLink> links) {
		this.node = node;
		links.forEach((link) -> this.byName.put(link.name(), link));
	}

	/** This replica. */
	ClusterNode node() {
		return this.node;
	}

	Collection<ClusterLink> all() {
		return this.byName.values();
	}

	ClusterLink get(String name) {
		ClusterLink link = this.byName.get(name);
		if (link == null) {
			throw new IllegalArgumentException("No link named " + name);
		}
		return link;
	}

}
