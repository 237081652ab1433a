package io.tcpbridge.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The whole application on a free HTTP port, linked to a {@link TestUpstream} of its own on
 * 127.0.0.1 (inject it), with the demo upstream off. The context is closed after the class,
 * with its upstream.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureRestTestClient
@Import(TestUpstreamConfiguration.class)
@TestPropertySource(properties = "bridge.demo.enabled=false")
@DirtiesContext
public @interface BridgeTest {

	/** Properties for this test's bridge, {@code key=value}. */
	@AliasFor(annotation = SpringBootTest.class)
	String[] properties() default {};

}
