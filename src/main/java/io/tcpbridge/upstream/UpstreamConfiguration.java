package io.tcpbridge.upstream;

import java.security.NoSuchAlgorithmException;
import java.time.Duration;

import javax.net.ssl.SSLContext;

import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.framing.FramingProperties;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.integration.ip.tcp.connection.DefaultTcpNetSSLSocketFactorySupport;
import org.springframework.integration.ip.tcp.connection.DefaultTcpSocketSupport;
import org.springframework.integration.ip.tcp.inbound.TcpReceivingChannelAdapter;
import org.springframework.integration.ip.tcp.outbound.TcpSendingMessageHandler;
import org.springframework.integration.support.management.metrics.MetricsCaptor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The Spring Integration parts of the link: one client connection factory, shared by a
 * client-mode inbound adapter that publishes every frame on {@code upstreamFrames} and an
 * outbound adapter that writes frames. {@link UpstreamLink} drives them.
 */
@Configuration(proxyBeanMethods = false)
class UpstreamConfiguration {

	/**
	 * The adapter's own retry runs at a fixed rate; {@link UpstreamLink} schedules attempts
	 * with backoff instead, so the adapter's timer only makes the first attempt.
	 */
	private static final Duration ADAPTER_RETRY_INTERVAL = Duration.ofDays(1);

	@Bean
	FrameCodec frameCodec(FramingProperties framing) {
		return framing.codec();
	}

	@Bean
	UpstreamConnectionFactory upstreamConnectionFactory(UpstreamProperties upstream, FrameCodec codec,
			ObjectProvider<SslBundles> sslBundles) throws NoSuchAlgorithmException {
		UpstreamConnectionFactory factory = new UpstreamConnectionFactory(upstream.host(), upstream.port(),
				upstream.connectTimeout(), upstream.keepAlive());
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
			SSLContext context = (tls.bundle() != null) ? sslBundles.getObject().getBundle(tls.bundle()).createSslContext()
					: SSLContext.getDefault();
			factory.setTcpSocketFactorySupport(new DefaultTcpNetSSLSocketFactorySupport(() -> context));
			factory.setTcpSocketSupport(new DefaultTcpSocketSupport(tls.verifyHostname()));
		}
		// one reading thread per connection, for as long as it lives
		factory.setTaskExecutor(new SimpleAsyncTaskExecutor("upstream-reader-"));
		return factory;
	}

	/**
	 * Every frame received from the upstream, delivered on the thread that read it. Without
	 * Spring Integration's per-message timers: at a million frames a second they cost the
	 * reading thread a tenth of its time, and the link counts its frames itself.
	 */
	@Bean
	PublishSubscribeChannel upstreamFrames() {
		return new PublishSubscribeChannel() {

			@Override
			public void registerMetricsCaptor(MetricsCaptor captor) {
				// not timed, see above
			}

		};
	}

	@Bean
	ThreadPoolTaskScheduler upstreamScheduler() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("upstream-");
		// connect attempts, the idle watchdog and heartbeats: one may block while the others run
		scheduler.setPoolSize(3);
		// the link reschedules and closes on its own during shutdown, after the context close event
		scheduler.setAcceptTasksAfterContextClose(true);
		scheduler.setRemoveOnCancelPolicy(true);
		return scheduler;
	}

	@Bean
	TcpReceivingChannelAdapter upstreamInbound(UpstreamConnectionFactory upstreamConnectionFactory,
			PublishSubscribeChannel upstreamFrames, ThreadPoolTaskScheduler upstreamScheduler) {
		TcpReceivingChannelAdapter adapter = new TcpReceivingChannelAdapter();
		adapter.setConnectionFactory(upstreamConnectionFactory);
		adapter.setClientMode(true);
		adapter.setRetryInterval(ADAPTER_RETRY_INTERVAL.toMillis());
		adapter.setTaskScheduler(upstreamScheduler);
		adapter.setOutputChannel(upstreamFrames);
		// a failing subscriber is logged by the error channel, and the link reads on
		adapter.setErrorChannelName("errorChannel");
		adapter.setAutoStartup(false);
		return adapter;
	}

	/** Writes frames to the upstream; not timed per message either, the link times its sends itself. */
	@Bean
	TcpSendingMessageHandler upstreamOutbound(UpstreamConnectionFactory upstreamConnectionFactory) {
		TcpSendingMessageHandler handler = new TcpSendingMessageHandler() {

			@Override
			public void registerMetricsCaptor(MetricsCaptor captor) {
				// bridge.send.duration times every send
			}

		};
		handler.setConnectionFactory(upstreamConnectionFactory);
		return handler;
	}

}
