package io.tcpbridge.upstream;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Published after every change of {@link LinkState}, for whoever must tell others: logs,
 * subscribers' streams.
 *
 * @param state the new state
 * @param at when it changed
 * @param reason why, for a link that went down; {@code null} otherwise
 */
public record LinkStateChangedEvent(LinkState state, Instant at, @Nullable String reason) {
}
