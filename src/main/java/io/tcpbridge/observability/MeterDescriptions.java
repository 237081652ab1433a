package io.tcpbridge.observability;

import java.util.Map;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

import org.springframework.stereotype.Component;

/**
 * Gives a description to the meters that Spring registers without one, when it first
 * records them: Prometheus shows a description as a metric's help text, and
 * {@code promtool check metrics} refuses a metric that has none.
 */
@Component
class MeterDescriptions implements MeterFilter {

	private static final Map<String, String> descriptions = Map.of("http.server.requests",
			"HTTP requests the bridge answered, by method, route, status and outcome");

	@Override
	public Meter.Id map(Meter.Id id) {
		String description = descriptions.get(id.getName());
		if (description == null || id.getDescription() != null) {
			return id;
		}
		return new Meter.Id(id.getName(), Tags.of(id.getTagsAsIterable()), id.getBaseUnit(), description, id.getType());
	}

}
