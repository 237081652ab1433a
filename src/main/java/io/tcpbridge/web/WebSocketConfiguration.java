package io.tcpbridge.web;

import java.util.Map;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.Links;
import io.tcpbridge.links.UnknownLinkException;
import io.tcpbridge.problem.Problems;
import io.tcpbridge.security.Access;
import io.tcpbridge.security.SecurityProperties;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistration;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.HandshakeInterceptor;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * {@code /links/{name}/ws} and {@code /ws}, for the bridge's own origin and {@code bridge.security.allowed-origins}, with
 * {@code ?encoding=binary} (the default) or {@code ?encoding=utf8}; and message buffers as
 * large as the largest frame.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

	private final StreamWebSocketHandler handler;

	private final SecurityProperties security;

	private final Links links;

	WebSocketConfiguration(StreamWebSocketHandler handler, SecurityProperties security, Links links) {
		this.handler = handler;
		this.security = security;
		this.links = links;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		// the standard (JSR-356) session, whose batching and message limits the sink relies on
		WebSocketHandlerRegistration registration = registry
			.addHandler(this.handler, WebSocketRequestFilter.PATH, WebSocketRequestFilter.LINK_PATHS)
			.setHandshakeHandler(new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()))
			.addInterceptors(new HandshakeAttributes(this.links));
		if (!this.security.allowedOrigins().isEmpty()) {
			registration.setAllowedOrigins(this.security.allowedOrigins().toArray(String[]::new));
		}
	}

	/**
	 * Answers what reaches {@code /ws} but is not a handshake; after the token filter. Static:
	 * the server asks for its filters before the bridge's properties are all bound, and this
	 * one needs none of them.
	 */
	@Bean
	static FilterRegistrationBean<WebSocketRequestFilter> webSocketRequestFilter() {
		FilterRegistrationBean<WebSocketRequestFilter> registration = new FilterRegistrationBean<>(
				new WebSocketRequestFilter());
		registration.addUrlPatterns(WebSocketRequestFilter.PATH, "/links/*");
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20);
		return registration;
	}

	/**
	 * A message larger than the container's buffer is refused by the container itself. A
	 * session is never closed for being idle (the container's default is 30 s): it ends when
	 * the client or the bridge ends it, and heartbeats find clients that are gone.
	 */
	@Bean
	ServletServerContainerFactoryBean webSocketContainer(Links links) {
		int largest = links.all().stream().mapToInt((link) -> link.codec().maxFrameSize()).max().orElseThrow();
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		container.setMaxBinaryMessageBufferSize(largest);
		container.setMaxTextMessageBufferSize(largest);
		container.setMaxSessionIdleTimeout(0L);
		return container;
	}

	/**
	 * Finds the link and reads {@code ?encoding=} before the upgrade, and refuses an unknown
	 * link or a bad value with a problem detail.
	 */
	private static final class HandshakeAttributes implements HandshakeInterceptor {

		private final Links links;

		HandshakeAttributes(Links links) {
			this.links = links;
		}

		@Override
		public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response,
				WebSocketHandler wsHandler, Map<String, Object> attributes) throws Exception {
			Link link;
			try {
				link = this.links.resolve(WebSocketRequestFilter.linkOf(request.getURI().getPath()));
			}
			catch (UnknownLinkException ex) {
				response.setStatusCode(HttpStatus.NOT_FOUND);
				response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
				response.getBody().write(Problems.json(Problems.unknownLink(ex)));
				return false;
			}
			attributes.put(StreamWebSocketHandler.LINK, link);
			if (request instanceof ServletServerHttpRequest servlet) {
				Object access = servlet.getServletRequest().getAttribute(Access.ATTRIBUTE);
				if (access != null) {
					attributes.put(Access.ATTRIBUTE, access);
				}
			}
			String encoding = UriComponentsBuilder.fromUri(request.getURI()).build().getQueryParams().getFirst("encoding");
			if (encoding == null || encoding.equalsIgnoreCase("binary")) {
				attributes.put(StreamWebSocketHandler.TEXT_MODE, false);
				return true;
			}
			if (encoding.equalsIgnoreCase("utf8") || encoding.equalsIgnoreCase("utf-8")) {
				attributes.put(StreamWebSocketHandler.TEXT_MODE, true);
				return true;
			}
			response.setStatusCode(HttpStatus.BAD_REQUEST);
			response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
			response.getBody().write(Problems.json(HttpStatus.BAD_REQUEST, "Unknown encoding",
					"Use ?encoding=binary (the default) or ?encoding=utf8"));
			return false;
		}

		@Override
		public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
				Exception exception) {
			// nothing to do once upgraded
		}

	}

}
