package io.tcpbridge.support;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * A {@link TestUpstream} as a bean, and the bridge pointed at it.
 */
@TestConfiguration(proxyBeanMethods = false)
class TestUpstreamConfiguration {

	@Bean(destroyMethod = "close")
	TestUpstream testUpstream() {
		return TestUpstream.onFreePort();
	}

	@Bean
	DynamicPropertyRegistrar linkToTestUpstream(TestUpstream upstream) {
		return (registry) -> registry.add("bridge.upstream.port", upstream::port);
	}

}
