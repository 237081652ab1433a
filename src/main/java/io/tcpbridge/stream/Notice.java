package io.tcpbridge.stream;

import java.time.Instant;

import io.tcpbridge.upstream.LinkState;
import org.jspecify.annotations.Nullable;

/**
 * What a subscriber is told besides frames.
 */
public sealed interface Notice extends StreamItem {

	/** The link changed state; also the first thing every new subscriber hears. */
	record Connection(LinkState state, Instant at, @Nullable String error) implements Notice {

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.connection(this);
		}

	}

	/**
	 * Frames this subscriber will never get.
	 *
	 * @param missed how many frames of this run were missed
	 * @param reason {@code evicted} (no longer in history when it came back),
	 * {@code restarted} (its last id is from an earlier run of the bridge, whose frames are
	 * gone), {@code slow-consumer} (dropped because it did not keep up), or
	 * {@code replica-behind} (in a cluster, the replica it reads fell further behind the
	 * link's shared stream than the stream is long)
	 */
	record Gap(long missed, String reason) implements Notice {

		static final String EVICTED = "evicted";

		static final String RESTARTED = "restarted";

		static final String SLOW_CONSUMER = "slow-consumer";

		static final String REPLICA_BEHIND = "replica-behind";

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.gap(this);
		}

	}

	/** Nothing happened for a while; keeps proxies from closing the stream and finds dead subscribers. */
	record Heartbeat() implements Notice {

		@Override
		public <R> R accept(Visitor<R> visitor) {
			return visitor.heartbeat();
		}

	}

}
