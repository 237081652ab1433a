package io.tcpbridge.web;

import java.io.IOException;
import java.nio.ByteBuffer;

import io.tcpbridge.problem.Problems;
import io.tcpbridge.stream.StreamProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * How the server treats requests that are refused: those it refuses before they reach the
 * bridge (a malformed request line, an ambiguous path, an oversized header) get a problem
 * detail too, instead of Jetty's HTML page; and a body that a refusal left unread is read
 * and dropped, so that the connection stays in step.
 */
@Configuration(proxyBeanMethods = false)
class ContainerConfiguration {

	@Bean
	JettyServerCustomizer problemDetailErrorPages() {
		return (server) -> server.setErrorHandler(new ProblemErrorHandler());
	}

	/**
	 * A kernel send buffer of {@code bridge.stream.socket-send-buffer} for every connection,
	 * when set: a client that stops reading is then seen to stall once that much is waiting
	 * for it, rather than the 4 MB Linux would let it take, and holds no more kernel memory.
	 */
	@Bean
	JettyServerCustomizer socketSendBuffer(StreamProperties stream) {
		int bytes = (int) stream.socketSendBuffer().toBytes();
		return (server) -> {
			for (Connector connector : server.getConnectors()) {
				if (bytes > 0 && connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptedSendBufferSize(bytes);
				}
			}
		};
	}

	@Bean
	FilterRegistrationBean<UnreadBodyFilter> unreadBodyFilter() {
		FilterRegistrationBean<UnreadBodyFilter> registration = new FilterRegistrationBean<>(new UnreadBodyFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

	/**
	 * Reads and drops what is left of a request body after the answer (up to 8 MB), when the
	 * bridge refused it without reading it all: too large, the wrong type, no token. A client
	 * still sending then gets the answer, and may reuse the connection, instead of a reset
	 * that can lose the answer; past 8 MB the server closes the connection. Nothing read here
	 * is kept.
	 */
	static final class UnreadBodyFilter extends OncePerRequestFilter {

		static final long MAX_DRAINED_BYTES = 8L * 1024 * 1024;

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			try {
				chain.doFilter(request, response);
			}
			finally {
				if (!request.isAsyncStarted()) {
					drain(request);
				}
			}
		}

		private static void drain(HttpServletRequest request) {
			try {
				ServletInputStream body = request.getInputStream();
				if (body.isFinished()) {
					// read to its end already, as a handled request's body is: nothing to drop
					return;
				}
				byte[] buffer = new byte[8192];
				long left = MAX_DRAINED_BYTES;
				int n;
				while (left > 0 && (n = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
					left -= n;
				}
			}
			catch (IOException | IllegalStateException ex) {
				// the client went away, or the body was read as text, to its end
			}
		}

	}

	/** Writes the server's own error responses as {@code application/problem+json}. */
	static final class ProblemErrorHandler extends ErrorHandler {

		@Override
		public boolean handle(Request request, Response response, Callback callback) {
			int status = (request.getAttribute(ERROR_STATUS) instanceof Integer code) ? code : response.getStatus();
			if (status < 400) {
				status = HttpStatus.BAD_REQUEST_400;
			}
			String reason = (request.getAttribute(ERROR_MESSAGE) instanceof String message && !message.isBlank())
					? message + ". " : "";
			byte[] body = Problems.json(status, HttpStatus.getMessage(status), reason
					+ "The server refused the request before it reached the bridge: check the path, the headers and their size");
			response.setStatus(status);
			response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getHeaders().put(ERROR_CACHE_CONTROL);
			// the server may close the connection after a request it could not parse: say so,
			// so that no client sends its next request on it
			response.getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
			response.write(true, ByteBuffer.wrap(body), callback);
			return true;
		}

	}

}
