package io.tcpbridge.stream;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How frames reach subscribers: how much history is kept for replay, how far each
 * subscriber may fall behind, and what happens to one that falls further.
 *
 * @param historySize how many of the latest frames are kept for replay after a reconnect
 * @param historyMaxBytes the most payload bytes the history holds, whatever its count
 * @param subscriberQueue how many frames may wait for one subscriber before the slow-consumer
 * policy applies
 * @param slowConsumer what happens to a subscriber whose queue is full: drop-oldest drops
 * its oldest waiting frames and tells it how many; disconnect closes its stream
 * @param heartbeatInterval how often an idle stream gets a keep-alive (an SSE comment, a
 * WebSocket ping), so that proxies keep it open and dead subscribers are found
 * @param maxSubscribers how many SSE and WebSocket subscribers the bridge serves at once;
 * more are turned away with a clear error, so that streams cannot take all the memory and
 * open files that {@code /send} and the health probes need too
 * @param stallTimeout how long a subscriber's socket may take nothing of a write before
 * the subscriber is closed: a client that stopped reading (a phone out of coverage, a
 * laptop asleep, a hung proxy) then no longer holds its queue and connection
 * @param socketSendBuffer the kernel's send buffer for each HTTP connection (SO_SNDBUF):
 * what a client that stopped reading takes before the bridge sees it stall, and holds in
 * kernel memory. 128KB by default, which Linux doubles; 0 leaves it to the system, which
 * on Linux grows it up to 4 MB, a little faster for the fastest single streams
 */
@Validated
@ConfigurationProperties("bridge.stream")
public record StreamProperties(@DefaultValue("10000") @Min(0) @Max(10_000_000) int historySize,
		@DefaultValue("16MB") @NotNull DataSize historyMaxBytes,
		@DefaultValue("8192") @Min(1) @Max(10_000_000) int subscriberQueue,
		@DefaultValue("drop-oldest") @NotNull SlowConsumerPolicy slowConsumer,
		@DefaultValue("15s") @NotNull @DurationMin(millis = 100) Duration heartbeatInterval,
		@DefaultValue("8000") @Min(1) @Max(1_000_000) int maxSubscribers,
		@DefaultValue("30s") @NotNull @DurationMin(millis = 100) Duration stallTimeout,
		@DefaultValue("128KB") @NotNull DataSize socketSendBuffer) {

	public StreamProperties {
		if (historyMaxBytes != null && historyMaxBytes.isNegative()) {
			throw new IllegalArgumentException("bridge.stream.history-max-bytes must not be negative, was "
					+ historyMaxBytes.toBytes() + "B");
		}
		if (socketSendBuffer != null && (socketSendBuffer.isNegative() || socketSendBuffer.toBytes() > Integer.MAX_VALUE)) {
			throw new IllegalArgumentException("bridge.stream.socket-send-buffer must be from 0 (the system's) to 2GB, was "
					+ socketSendBuffer.toBytes() + "B");
		}
	}

	/** What happens to a subscriber that cannot keep up. */
	public enum SlowConsumerPolicy {

		/** Drop its oldest waiting frames, count them, and tell it how many. */
		DROP_OLDEST,

		/** Close its stream; it may reconnect and replay from history. */
		DISCONNECT

	}

}
