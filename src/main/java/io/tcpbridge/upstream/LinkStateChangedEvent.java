package io.tcpbridge.upstream;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Told after every change of a link's {@link LinkState}, to whoever must tell others: the
 * log, the link's subscribers, the requests waiting for replies; and published as an
 * application event.
 *
 * @param link the link's name
 * @param state the new state
 * @param at when it changed
 * @param reason why the link went down, for {@code DISCONNECTED}; {@code null} otherwise
 * @param retryIn the wait before the next connection attempt, for {@code DISCONNECTED}
 */
public record LinkStateChangedEvent(String link, LinkState state, Instant at, @Nullable String reason,
		@Nullable Duration retryIn) {
}
