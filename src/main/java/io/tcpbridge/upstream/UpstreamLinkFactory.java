package io.tcpbridge.upstream;

import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.framing.FrameCodec;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.ip.tcp.connection.DefaultTcpNetSSLSocketFactorySupport;
import org.springframework.integration.ip.tcp.connection.DefaultTcpSocketSupport;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.scheduling.TaskScheduler;

/**
 * Builds the Spring Integration parts of one link: a client connection factory and a
 * client-mode inbound adapter that publishes every frame on the link's channel; and the
 * {@link UpstreamLink} that drives them and writes to the connection they open. The
 * factory's connection events go to its own link, and to no other.
 *
 * <p>The parts are the link's, not beans: Spring Integration's per-message timers would cost
 * the reading thread a tenth of its time at a million frames a second, and the link counts
 * and times its frames itself.
 */
public final class UpstreamLinkFactory {

	/**
	 * The adapter's own retry runs at a fixed rate; {@link UpstreamLink} schedules attempts
	 * with backoff instead, so the adapter's timer only makes the first attempt.
	 */
	private static final Duration ADAPTER_RETRY_INTERVAL = Duration.ofDays(1);

	private final TaskScheduler scheduler;

	private final ObjectProvider<SslBundles> sslBundles;

	private final BeanFactory beanFactory;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meterRegistry;

	/**
	 * @param scheduler connect attempts, watchdogs and heartbeats of every link
	 * @param sslBundles the bundles that {@code upstream.tls.bundle} names
	 * @param beanFactory where the adapters find the error channel
	 * @param events where every link's state changes are published
	 * @param meterRegistry where the links' timers go
	 */
	public UpstreamLinkFactory(TaskScheduler scheduler, ObjectProvider<SslBundles> sslBundles, BeanFactory beanFactory,
			ApplicationEventPublisher events, MeterRegistry meterRegistry) {
		this.scheduler = scheduler;
		this.sslBundles = sslBundles;
		this.beanFactory = beanFactory;
		this.events = events;
		this.meterRegistry = meterRegistry;
	}

	/**
	 * The link named {@code name}, stopped.
	 * @param settings where its properties are, {@code bridge.upstream} or
	 * {@code bridge.links.<name>.upstream}, for the messages that name them
	 */
	public UpstreamLink create(String name, String settings, UpstreamProperties properties, FrameCodec codec) {
		UpstreamConnectionFactory factory = connectionFactory(name, settings, properties, codec);
		PublishSubscribeChannel frames = new PublishSubscribeChannel();
		frames.setBeanName("link." + name + ".frames");
		frames.setBeanFactory(this.beanFactory);
		frames.afterPropertiesSet();

		TcpReceivingChannelAdapter inbound = new TcpReceivingChannelAdapter();
		inbound.setBeanName("link." + name + ".inbound");
		inbound.setConnectionFactory(factory);
		inbound.setClientMode(true);
		inbound.setRetryInterval(ADAPTER_RETRY_INTERVAL.toMillis());
		inbound.setTaskScheduler(this.scheduler);
		inbound.setOutputChannel(frames);
		// a failing subscriber is logged by the error channel, and the link reads on
		inbound.setErrorChannelName("errorChannel");
		inbound.setAutoStartup(false);
		inbound.setBeanFactory(this.beanFactory);
		inbound.afterPropertiesSet();

		UpstreamLink link = new UpstreamLink(name, settings, properties, codec, factory, inbound, this.scheduler, frames,
				this.events, this.meterRegistry, Clock.systemUTC());
		factory.setApplicationEventPublisher(link::connectionEvent);
		factory.afterPropertiesSet();
		return link;
	}

	private UpstreamConnectionFactory connectionFactory(String name, String settings, UpstreamProperties upstream,
			FrameCodec codec) {
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(UpstreamLink.label(name, upstream), settings,
				upstream.host(), upstream.port(), upstream.connectTimeout(), upstream.keepAlive());
		factory.setBeanName("link." + name + ".connections");
		factory.setBeanFactory(this.beanFactory);
		factory.setSerializer(codec);
		factory.setDeserializer(codec);
		factory.setMapper(new FrameMessageMapper());
		factory.setSingleUse(false);
		factory.setLookupHost(false);
		factory.setSoKeepAlive(upstream.soKeepAlive());
		factory.setSoTcpNoDelay(upstream.soTcpNoDelay());
		factory.setTcpNetConnectionSupport(BufferedInputConnection.support());
		UpstreamProperties.Tls tls = upstream.tls();
		if (tls.enabled()) {
			SSLContext context = sslContext(tls);
			factory.setTcpSocketFactorySupport(new DefaultTcpNetSSLSocketFactorySupport(() -> context));
			factory.setTcpSocketSupport(new DefaultTcpSocketSupport(tls.verifyHostname()));
		}
		// one reading thread per connection, for as long as it lives
		factory.setTaskExecutor(new SimpleAsyncTaskExecutor("link-" + name + "-reader-"));
		return factory;
	}

	private SSLContext sslContext(UpstreamProperties.Tls tls) {
		if (tls.bundle() != null) {
			return this.sslBundles.getObject().getBundle(tls.bundle()).createSslContext();
		}
		try {
			return SSLContext.getDefault();
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JVM has no default TLS context for upstream.tls: " + ex.getMessage(), ex);
		}
	}

}
