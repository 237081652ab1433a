package io.tcpbridge.observability;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.tcpbridge.links.Links;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.LinkTraffic;
import io.tcpbridge.upstream.UpstreamLink;

import org.springframework.stereotype.Component;

/**
 * The bridge's meters that read state each link and its hub keep anyway, each tagged with
 * the link's name: traffic, the link
 * being up, connection attempts, subscribers, dropped frames. Nothing is counted twice; a
 * scrape reads the counters. The two timers, {@code bridge.send.duration} and
 * {@code bridge.delivery.lag}, are recorded where the time passes, in the link and the hub.
 *
 * <p>Counts of frames, attempts and subscribers have no unit, as Prometheus names them;
 * bytes are in bytes, and Prometheus adds {@code _bytes} and {@code _total}.
 */
@Component
class BridgeMetrics implements MeterBinder {

	private final Links links;

	BridgeMetrics(Links links) {
		this.links = links;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		this.links.all().forEach((link) -> bindTo(registry, link.upstream(), link.hub(), Tags.of("link", link.name())));
	}

	private static void bindTo(MeterRegistry registry, UpstreamLink link, FrameHub hub, Tags tags) {
		LinkTraffic traffic = link.traffic();
		counter(registry, "bridge.frames.received", "Frames received from the upstream", null, traffic,
				LinkTraffic::framesIn, tags);
		counter(registry, "bridge.frames.sent", "Frames written to the upstream", null, traffic, LinkTraffic::framesOut,
				tags);
		counter(registry, "bridge.bytes.received", "Payload bytes received from the upstream", BaseUnits.BYTES, traffic,
				LinkTraffic::bytesIn, tags);
		counter(registry, "bridge.bytes.sent", "Payload bytes written to the upstream", BaseUnits.BYTES, traffic,
				LinkTraffic::bytesOut, tags);
		Gauge.builder("bridge.connection.up", link, (each) -> each.isConnected() ? 1 : 0)
			.description("1 while the link to the upstream is connected, 0 otherwise")
			.tags(tags)
			.register(registry);
		FunctionCounter.builder("bridge.connection.attempts", traffic, LinkTraffic::attemptsSucceeded)
			.description("Connection attempts to the upstream, by outcome")
			.tags(tags)
			.tag("outcome", "success")
			.register(registry);
		FunctionCounter.builder("bridge.connection.attempts", traffic, LinkTraffic::attemptsFailed)
			.description("Connection attempts to the upstream, by outcome")
			.tags(tags)
			.tag("outcome", "failure")
			.register(registry);
		for (String transport : hub.subscriberCounts().keySet()) {
			Gauge.builder("bridge.subscribers", hub, (each) -> each.subscriberCounts().get(transport))
				.description("Subscribers connected, by transport")
				.tags(tags)
				.tag("transport", transport)
				.register(registry);
		}
		dropped(registry, "slow-consumer", hub, FrameHub::slowConsumerDrops, tags);
		dropped(registry, "oversize", traffic, LinkTraffic::framesDroppedOversize, tags);
		dropped(registry, "truncated", traffic, LinkTraffic::framesDroppedTruncated, tags);
		dropped(registry, "malformed", traffic, LinkTraffic::framesDroppedMalformed, tags);
	}

	private static <T> void counter(MeterRegistry registry, String name, String description, String unit, T source,
			ToDoubleFunction<T> count, Tags tags) {
		FunctionCounter.builder(name, source, count).description(description).baseUnit(unit).tags(tags).register(registry);
	}

	private static <T> void dropped(MeterRegistry registry, String reason, T source, ToDoubleFunction<T> count,
			Tags tags) {
		FunctionCounter.builder("bridge.frames.dropped", source, count)
			.description("Frames lost, by reason: slow-consumer (a subscriber did not keep up), oversize (an inbound "
					+ "frame over the maximum), truncated (the upstream closed in the middle of a frame), malformed (bytes "
					+ "that are not a frame of the framing)")
			.tags(tags)
			.tag("reason", reason)
			.register(registry);
	}

}
