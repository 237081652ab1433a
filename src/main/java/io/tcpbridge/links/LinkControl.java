package io.tcpbridge.links;

/**
 * The operator's start, stop and reconnect of a link. A bridge on its own acts on the link
 * at once; a replica of a cluster keeps start and stop as the cluster's intent, for
 * whichever replica holds the link.
 */
public interface LinkControl {

	/** Opens a stopped link, and keeps it open. */
	void start(Link link);

	/** Closes the link, and keeps it closed. */
	void stop(Link link);

	/** Replaces the connection now, without waiting out the backoff. */
	void reconnect(Link link);

	/** The bridge alone: each link is this process's to open and close. */
	LinkControl STANDALONE = new LinkControl() {

		@Override
		public void start(Link link) {
			link.upstream().start();
		}

		@Override
		public void stop(Link link) {
			link.upstream().stop();
		}

		@Override
		public void reconnect(Link link) {
			link.upstream().reconnect();
		}

	};

}
