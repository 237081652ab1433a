package io.tcpbridge.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tcpbridge.stream.SubscriberSink.Transport;

/**
 * What the hub records of its subscribers, by transport: how long frames took to reach them
 * ({@code bridge.delivery.lag}), why their streams ended ({@code bridge.subscribers.closed}),
 * and the frames they lost for not keeping up. Every series is registered at start, at
 * zero, so that a rate over it is defined before the first event.
 */
final class SubscriberMeters {

	private final Map<Transport, Timer> lag = new EnumMap<>(Transport.class);

	private final Map<Transport, Map<CloseReason, Counter>> closed = new EnumMap<>(Transport.class);

	private final LongAdder slowConsumerDrops = new LongAdder();

	SubscriberMeters(String link, MeterRegistry registry) {
		for (Transport transport : Transport.values()) {
			this.lag.put(transport, Timer.builder("bridge.delivery.lag")
				.description("Time from reading a frame off the upstream socket to writing it to a subscriber, "
						+ "for the oldest frame of each write")
				.tag("link", link)
				.tag("transport", transport.tag())
				.publishPercentileHistogram()
				.register(registry));
			Map<CloseReason, Counter> byReason = new EnumMap<>(CloseReason.class);
			for (CloseReason reason : CloseReason.values()) {
				byReason.put(reason, Counter.builder("bridge.subscribers.closed")
					.description("Subscriber streams that ended, by reason: client (it left, or its connection failed), "
							+ "stalled (its socket took nothing for the stall timeout), slow-consumer (its queue "
							+ "overflowed under the disconnect policy), rejected-message (it sent what cannot be "
							+ "written upstream), shutdown")
					.tag("link", link)
					.tag("reason", reason.tag())
					.tag("transport", transport.tag())
					.register(registry));
			}
			this.closed.put(transport, byReason);
		}
	}

	Timer lag(Transport transport) {
		return this.lag.get(transport);
	}

	void closed(Transport transport, CloseReason reason) {
		this.closed.get(transport).get(reason).increment();
	}

	void dropped(long frames) {
		this.slowConsumerDrops.add(frames);
	}

	long slowConsumerDrops() {
		return this.slowConsumerDrops.sum();
	}

}
