package io.tcpbridge.upstream;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published after every change of {@link LinkState}, for whoever must tell others: the log,
 * subscribers' streams.
 *
 * @param state the new state
 * @param at when it changed
 * @param reason why the link went down, for {@code DISCONNECTED}; {@code null} otherwise
 * @param retryIn the wait before the next connection attempt, for {@code DISCONNECTED}
 */
public record LinkStateChangedEvent(LinkState state, Instant at, @Nullable String reason, @Nullable Duration retryIn) {
}
