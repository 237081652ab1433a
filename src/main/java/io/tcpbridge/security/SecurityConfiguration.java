package io.tcpbridge.security;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The token filter, when tokens are set, and CORS for the allowed origins.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

	private final SecurityProperties properties;

	SecurityConfiguration(SecurityProperties properties) {
		this.properties = properties;
	}

	@Bean
	FilterRegistrationBean<AccessTokenFilter> accessTokenFilter() {
		FilterRegistrationBean<AccessTokenFilter> registration = new FilterRegistrationBean<>(
				new AccessTokenFilter(this.properties));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
		registration.setEnabled(this.properties.enabled());
		return registration;
	}

	@Override
	public void addCorsMappings(CorsRegistry registry) {
		if (!this.properties.allowedOrigins().isEmpty()) {
			registry.addMapping("/**")
				.allowedOrigins(this.properties.allowedOrigins().toArray(String[]::new))
				.allowedMethods("GET", "POST")
				.allowedHeaders("Authorization", "Content-Type", "Last-Event-ID")
				.exposedHeaders("Retry-After", "Frame-Id");
		}
	}

}
