package io.tcpbridge.links;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.framing.FramingProperties;
import io.tcpbridge.reply.ReplyProperties;
import io.tcpbridge.reply.RequestReply;
import io.tcpbridge.stream.DeliveryThreads;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.stream.StreamProperties;
import io.tcpbridge.upstream.ConnectionWait;
import io.tcpbridge.upstream.UpstreamLink;
import io.tcpbridge.upstream.UpstreamLinkFactory;
import io.tcpbridge.upstream.UpstreamProperties;
import jakarta.validation.Validation;
import jakarta.validation.ValidatorFactory;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;

/**
 * Builds every link the configuration names, each its own object graph, and runs them: the
 * hubs before the web server takes requests and until it stops; the connections after.
 */
@Configuration(proxyBeanMethods = false)
class LinksConfiguration {

	@Bean
	Links links(ConfigurableEnvironment environment, UpstreamProperties upstream, FramingProperties framing,
			ReplyProperties reply, StreamProperties stream, ThreadPoolTaskScheduler upstreamScheduler,
			DeliveryThreads deliveryThreads, ThreadPoolTaskScheduler streamTimers, ObjectProvider<SslBundles> sslBundles,
			BeanFactory beanFactory, ApplicationEventPublisher events, MeterRegistry meterRegistry) {
		List<LinkProperties> definitions;
		try (ValidatorFactory validation = Validation.buildDefaultValidatorFactory()) {
			definitions = LinkDefinitions.read(environment, new SpringValidatorAdapter(validation.getValidator()), upstream,
					framing, reply, stream);
		}
		// a connect attempt may hold a thread for the connect timeout: one per link, and two for the watchdogs
		upstreamScheduler.setPoolSize(definitions.size() + 2);
		UpstreamLinkFactory factory = new UpstreamLinkFactory(upstreamScheduler, sslBundles, beanFactory, events,
				meterRegistry);
		List<Link> links = new ArrayList<>();
		for (LinkProperties properties : definitions) {
			FrameCodec codec = properties.framing().codec();
			UpstreamLink link = factory.create(properties.name(), properties.property("upstream"), properties.upstream(),
					codec);
			FrameHub hub = new FrameHub(properties.name(), properties.stream(), deliveryThreads, streamTimers,
					meterRegistry);
			links.add(new Link(properties, codec, link, hub, new RequestReply(link, hub, properties.reply(), meterRegistry),
					new ConnectionWait(link)));
		}
		return new Links(links);
	}

	@Bean
	ThreadPoolTaskScheduler upstreamScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("upstream-");
		// the links reschedule and close on their own during shutdown, after the context close event
		scheduler.setAcceptTasksAfterContextClose(true);
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	/**
	 * The hubs' keep-alives run from start. At shutdown, every stream is closed first, so
	 * that the web server's graceful shutdown need not wait for them.
	 */
	@Bean
	SmartLifecycle linkStreams(Links links) {
		return new LinksLifecycle(SmartLifecycle.DEFAULT_PHASE, () -> links.all().forEach((link) -> link.hub().start()),
				() -> links.all().forEach((link) -> link.hub().stop()));
	}

	/**
	 * Connects after the web server and the demo upstream start. Stops after the web
	 * server's graceful shutdown has let requests in flight finish, and before the server
	 * stops.
	 */
	@Bean
	@ConditionalOnProperty(name = "bridge.cluster.mode", havingValue = "none", matchIfMissing = true)
	SmartLifecycle linkConnections(Links links) {
		// alone, the bridge numbers each link's frames itself, in its hub
		for (Link link : links.all()) {
			link.upstream().frames().subscribe((message) -> link.hub().publish((byte[]) message.getPayload()));
			link.upstream().onStateChanged(link.hub()::linkStateChanged);
		}
		return new LinksLifecycle(Links.CONNECTIONS_PHASE, () -> links.all().forEach((link) -> link.upstream().start()),
				() -> links.all().forEach((link) -> link.upstream().stop()));
	}

	@Bean
	@ConditionalOnProperty(name = "bridge.cluster.mode", havingValue = "none", matchIfMissing = true)
	LinkControl linkControl() {
		return LinkControl.STANDALONE;
	}

	@Bean
	@ConditionalOnProperty(name = "bridge.cluster.mode", havingValue = "none", matchIfMissing = true)
	LinkStatuses linkStatuses() {
		return LinkStatuses.STANDALONE;
	}

}
