package io.tcpbridge.cluster;

/**
 * The Redis keys of one link in one cluster. They share the hash tag {@code {<cluster>:<link>}},
 * so that on a Redis Cluster every key of a link is on one shard, and one script may touch
 * them all: the lock, the place and the stream.
 *
 * @param lockRegistry the key of the cluster's lock registry
 * @param lockName the name of the link's lock in that registry
 * @param meta a hash: the run of the link's ids, the number of its latest frame, and its
 * latest state as its leader told it
 * @param frames the stream of its frames and changes of state, in order
 * @param intent {@code stopped} while an operator keeps the link closed
 */
record LinkKeys(String lockRegistry, String lockName, String meta, String frames, String intent) {

	static LinkKeys of(String cluster, String link) {
		String tag = "{" + cluster + ":" + link + "}";
		return new LinkKeys(lockRegistry(cluster), tag, tag + ":meta", tag + ":frames", tag + ":intent");
	}

	/** The key of the cluster's lock registry, which every link's lock is under. */
	static String lockRegistry(String cluster) {
		return cluster + ":lock";
	}

	/** The key of the cluster's live replicas: a sorted set of node ids, each scored by when it lapses. */
	static String replicas(String cluster) {
		return cluster + ":replicas";
	}

	/** The key the lock registry keeps the lock under. */
	String lock() {
		return this.lockRegistry + ":" + this.lockName;
	}

}
