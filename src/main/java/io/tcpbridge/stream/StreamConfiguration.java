package io.tcpbridge.stream;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.channel.PublishSubscribeChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The hub, fed by every frame the upstream link receives; the threads that write to
 * subscribers, and the one that sends keep-alives.
 */
@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

	/**
	 * Writes to subscribers. A subscriber whose client stopped reading holds one of these
	 * threads in a blocking write until the server's write timeout; the others keep serving
	 * everyone else.
	 */
	static final int DELIVERY_THREADS = 16;

	@Bean
	FrameHub frameHub(StreamProperties properties, PublishSubscribeChannel upstreamFrames,
			ThreadPoolTaskExecutor streamDelivery, ThreadPoolTaskScheduler streamHeartbeat, MeterRegistry meterRegistry) {
		FrameHub hub = new FrameHub(properties, streamDelivery, streamHeartbeat, meterRegistry);
		upstreamFrames.subscribe((message) -> hub.publish((byte[]) message.getPayload()));
		return hub;
	}

	@Bean
	ThreadPoolTaskExecutor streamDelivery() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("stream-delivery-");
		executor.setCorePoolSize(DELIVERY_THREADS);
		executor.setMaxPoolSize(DELIVERY_THREADS);
		// streams are closed, and frames delivered, during the graceful shutdown that follows the close event
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Bean
	ThreadPoolTaskScheduler streamHeartbeat() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("stream-heartbeat-");
		scheduler.setPoolSize(1);
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

}
