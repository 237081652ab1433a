package io.tcpbridge.observability;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.LinkTraffic;
import io.tcpbridge.upstream.UpstreamLink;

import org.springframework.stereotype.Component;

/**
 * The bridge's meters that read state the link and the hub keep anyway: traffic, the link
 * being up, connection attempts, subscribers, dropped frames. Nothing is counted twice; a
 * scrape reads the counters. The two timers, {@code bridge.send.duration} and
 * {@code bridge.delivery.lag}, are recorded where the time passes, in the link and the hub.
 *
 * <p>Counts of frames, attempts and subscribers have no unit, as Prometheus names them;
 * bytes are in bytes, and Prometheus adds {@code _bytes} and {@code _total}.
 */
@Component
class BridgeMetrics implements MeterBinder {

	private final UpstreamLink link;

	private final FrameHub hub;

	BridgeMetrics(UpstreamLink link, FrameHub hub) {
		this.link = link;
		this.hub = hub;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		LinkTraffic traffic = this.link.traffic();
		counter(registry, "bridge.frames.received", "Frames received from the upstream", null, traffic,
				LinkTraffic::framesIn);
		counter(registry, "bridge.frames.sent", "Frames written to the upstream", null, traffic, LinkTraffic::framesOut);
		counter(registry, "bridge.bytes.received", "Payload bytes received from the upstream", BaseUnits.BYTES, traffic,
				LinkTraffic::bytesIn);
		counter(registry, "bridge.bytes.sent", "Payload bytes written to the upstream", BaseUnits.BYTES, traffic,
				LinkTraffic::bytesOut);
		Gauge.builder("bridge.connection.up", this.link, (link) -> link.isConnected() ? 1 : 0)
			.description("1 while the link to the upstream is connected, 0 otherwise")
			.register(registry);
		FunctionCounter.builder("bridge.connection.attempts", traffic, LinkTraffic::attemptsSucceeded)
			.description("Connection attempts to the upstream, by outcome")
			.tag("outcome", "success")
			.register(registry);
		FunctionCounter.builder("bridge.connection.attempts", traffic, LinkTraffic::attemptsFailed)
			.description("Connection attempts to the upstream, by outcome")
			.tag("outcome", "failure")
			.register(registry);
		for (String transport : this.hub.subscriberCounts().keySet()) {
			Gauge.builder("bridge.subscribers", this.hub, (hub) -> hub.subscriberCounts().get(transport))
				.description("Subscribers connected, by transport")
				.tag("transport", transport)
				.register(registry);
		}
		dropped(registry, "slow-consumer", this.hub, FrameHub::slowConsumerDrops);
		dropped(registry, "oversize", traffic, LinkTraffic::framesDroppedOversize);
		dropped(registry, "truncated", traffic, LinkTraffic::framesDroppedTruncated);
		dropped(registry, "malformed", traffic, LinkTraffic::framesDroppedMalformed);
	}

	private static <T> void counter(MeterRegistry registry, String name, String description, String unit, T source,
			ToDoubleFunction<T> count) {
		FunctionCounter.builder(name, source, count).description(description).baseUnit(unit).register(registry);
	}

	private static <T> void dropped(MeterRegistry registry, String reason, T source, ToDoubleFunction<T> count) {
		FunctionCounter.builder("bridge.frames.dropped", source, count)
			.description("Frames lost, by reason: slow-consumer (a subscriber did not keep up), oversize (an inbound "
					+ "frame over the maximum), truncated (the upstream closed in the middle of a frame)")
			.tag("reason", reason)
			.register(registry);
	}

}
