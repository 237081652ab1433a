package io.tcpbridge.cluster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.config.ConfigDataEnvironmentPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Redis only where the cluster is: without {@code bridge.cluster.mode=redis}, Spring Boot's
 * Redis auto-configuration is left out, so that a bridge on its own neither builds a Redis
 * client nor reports one in its health. With it, Redis' timeouts default to a fraction of the
 * lock's time to live instead of a minute, so that a leader that cannot reach Redis lets go
 * of its links before its hold on them ends; Boot's own Redis health check gives way to the
 * cluster's, which says what the replica makes of it; Lettuce's observation of every
 * command is left out.
 */
class ClusterEnvironment implements EnvironmentPostProcessor, Ordered {

	/**
	 * Lettuce's observation of every Redis command: an observation, its key values and a
	 * timer looked up per command, on the path of every append and every read of a stream,
	 * for timers with no help text. The cluster's own meters tell the appends' latency and
	 * Redis' faults.
	 */
	static final String LETTUCE_OBSERVATION = "org.springframework.boot.data.redis.autoconfigure.observation.LettuceObservationAutoConfiguration";

	static final List<String> REDIS_AUTO_CONFIGURATIONS = List.of(
			"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration",
			"org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration",
			LETTUCE_OBSERVATION);

	private static final String EXCLUDE = "spring.autoconfigure.exclude";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		Binder binder = Binder.get(environment);
		String mode = binder.bind("bridge.cluster.mode", String.class).orElse("none");
		if (!"redis".equals(mode.toLowerCase(Locale.ROOT))) {
			exclude(environment, binder, REDIS_AUTO_CONFIGURATIONS);
			return;
		}
		exclude(environment, binder, List.of(LETTUCE_OBSERVATION));
		// a leader may lose two commands' time (its renewal, then its release) before it lets go
		Duration lockTtl = binder.bind("bridge.cluster.lock-ttl", Duration.class).orElse(Duration.ofSeconds(10));
		String timeout = Math.max(200, lockTtl.toMillis() / 5) + "ms";
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("spring.data.redis.timeout", timeout);
		defaults.put("spring.data.redis.connect-timeout", timeout);
		defaults.put("spring.data.redis.repositories.enabled", "false");
		defaults.put("management.health.redis.enabled", "false");
		environment.getPropertySources().addLast(new MapPropertySource("bridgeClusterDefaults", defaults));
	}

	private static void exclude(ConfigurableEnvironment environment, Binder binder, List<String> autoConfigurations) {
		// the property is bound as one value: the source that comes first must hold every exclusion
		Set<String> excluded = new LinkedHashSet<>(List.of(binder.bind(EXCLUDE, String[].class).orElse(new String[0])));
		excluded.addAll(autoConfigurations);
		environment.getPropertySources()
			.addFirst(new MapPropertySource("bridgeRedisExclusions", Map.of(EXCLUDE, String.join(",", excluded))));
	}

	@Override
	public int getOrder() {
		return ConfigDataEnvironmentPostProcessor.ORDER + 1;
	}

}
