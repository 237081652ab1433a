package io.tcpbridge.support;

import io.tcpbridge.links.Links;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.UpstreamLink;

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

	/** The default link's connection, for tests that drive or watch it. */
	@Bean
	UpstreamLink defaultUpstreamLink(Links links) {
		return links.defaultLink().upstream();
	}

	/** The default link's hub. */
	@Bean
	FrameHub defaultFrameHub(Links links) {
		return links.defaultLink().hub();
	}

	@Bean
	DynamicPropertyRegistrar linkToTestUpstream(TestUpstream upstream) {
		return (registry) -> registry.add("bridge.upstream.port", upstream::port);
	}

}
