package io.tcpbridge.stream;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * What every link's hub shares: the threads that write to subscribers, and the one that
 * sends keep-alives and finds stalled subscribers.
 */
@Configuration(proxyBeanMethods = false)
class StreamConfiguration {

	@Bean
	DeliveryThreads deliveryThreads(ThreadPoolTaskExecutor streamDelivery) {
		return new DeliveryThreads(streamDelivery);
	}

	/** Writes to subscribers, a thread per core. */
	@Bean
	ThreadPoolTaskExecutor streamDelivery() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix("stream-delivery-");
		executor.setCorePoolSize(DeliveryThreads.count());
		executor.setMaxPoolSize(DeliveryThreads.count());
		// streams are closed, and frames delivered, during the graceful shutdown that follows the close event
		executor.setAcceptTasksAfterContextClose(true);
		return executor;
	}

	@Bean
	ThreadPoolTaskScheduler streamTimers() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("stream-timers-");
		scheduler.setPoolSize(1);
		scheduler.setAcceptTasksAfterContextClose(true);
		return scheduler;
	}

}
