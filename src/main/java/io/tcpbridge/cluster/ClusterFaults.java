package io.tcpbridge.cluster;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * Whether this replica reaches Redis, as its last command found: what the cluster's health
 * says. A fault is logged once, in one line, when it begins, and its end once: a Redis that
 * is down for an hour, or a wrong password, is not a line a second. While it lasts, a
 * different message (Lettuce tells one failed handshake in more than one way) is the health's
 * detail from then on, and a debug line.
 */
final class ClusterFaults {

	private static final Log logger = LogFactory.getLog(ClusterFaults.class);

	private final AtomicReference<@Nullable Fault> current = new AtomicReference<>();

	static Counter errors(MeterRegistry registry, String operation) {
		return Counter.builder("bridge.cluster.redis.errors")
			.description("Redis commands of the cluster that failed: Redis unreachable, refused or too slow")
			.tag("operation", operation)
			.register(registry);
	}

	void failed(String doing, Throwable ex) {
		String cause = describe(ex);
		// a fault that goes on under another message is still the one that began then
		Fault before = this.current.getAndUpdate((f) -> (f == null) ? new Fault(cause, Instant.now())
				: f.message().equals(cause) ? f : new Fault(cause, f.since()));
		if (before == null) {
			logger.warn("Redis failed " + doing + ": " + cause + "; this replica serves what it can vouch for and "
					+ "tries again until Redis answers");
		}
		else if (!before.message().equals(cause)) {
			logger.debug("Redis still fails " + doing + ", now: " + cause);
		}
	}

	void recovered() {
		Fault before = this.current.getAndSet(null);
		if (before != null) {
			logger.info("Redis answers again, after failing since " + before.since() + " (" + before.message() + ")");
		}
	}

	/** The fault that lasts, or {@code null} while Redis answers. */
	@Nullable Fault current() {
		return this.current.get();
	}

	static String describe(Throwable ex) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		String message = cause.getMessage();
		return (message != null && !message.isBlank()) ? message : cause.getClass().getSimpleName();
	}

	/** What failed, and since when. */
	record Fault(String message, Instant since) {
	}

}
