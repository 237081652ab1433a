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
 * says. A fault is logged once, in one line, when it begins and when it changes, and its end
 * once: a Redis that is down for an hour, or a wrong password, is not a line a second.
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
		Fault fault = new Fault(cause, Instant.now());
		Fault before = this.current.getAndUpdate((f) -> (f != null && f.message().equals(cause)) ? f : fault);
		if (before == null || !before.message().equals(cause)) {
			logger.warn("Redis failed " + doing + ": " + cause + "; this replica serves what it can vouch for and "
					+ "tries again until Redis answers");
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
