package io.tcpbridge.web;

import java.time.Duration;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * The query of {@code POST /send}: {@code await=reply} to wait for the next frame as the
 * answer, {@code timeout} to bound that wait, {@code encoding} for the reply's data.
 *
 * @param await {@code reply}, or absent for a plain send
 * @param timeout how long to wait for the reply, e.g. {@code 500ms}, {@code 5s}; 5s if absent
 * @param encoding how to write the reply's data: utf8, base64 or hex; by default utf8 when
 * the reply is valid UTF-8, base64 otherwise
 */
record SendOptions(@Nullable String await, @Nullable String timeout, @Nullable String encoding) {

	/** A send without options. */
	static final SendOptions NONE = new SendOptions(null, null, null);

	static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

	static final Duration LONGEST_TIMEOUT = Duration.ofMinutes(5);

	boolean awaitsReply() {
		if (this.await == null) {
			return false;
		}
		if (!this.await.equals("reply")) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown await",
					"await='" + this.await + "' is not known; use await=reply to wait for the reply, or leave it out");
		}
		return true;
	}

	Duration replyTimeout() {
		if (this.timeout == null) {
			return DEFAULT_TIMEOUT;
		}
		Duration parsed;
		try {
			parsed = DurationStyle.detectAndParse(this.timeout);
		}
		catch (IllegalArgumentException ex) {
			throw badTimeout();
		}
		if (parsed.isNegative() || parsed.isZero() || parsed.compareTo(LONGEST_TIMEOUT) > 0) {
			throw badTimeout();
		}
		return parsed;
	}

	private RuntimeException badTimeout() {
		return Problems.exception(HttpStatus.BAD_REQUEST, "Bad timeout", "timeout='" + this.timeout
				+ "' is not a duration between 1ms and 5m; write it like 500ms, 5s or 1m");
	}

	@Nullable PayloadEncoding replyEncoding() {
		if (this.encoding == null) {
			return null;
		}
		try {
			return PayloadEncoding.named(this.encoding);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown encoding", ex.getMessage());
		}
	}

	/**
	 * Reads the options from the query, three parameters by name. Spring's binding of a
	 * record would do the same, but inspects the constructor's annotations on every request,
	 * which a profile of {@code POST /send} under load showed as a large share of its time.
	 */
	static final class Resolver implements HandlerMethodArgumentResolver {

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			return parameter.getParameterType() == SendOptions.class;
		}

		@Override
		public SendOptions resolveArgument(MethodParameter parameter, @Nullable ModelAndViewContainer container,
				NativeWebRequest request, @Nullable WebDataBinderFactory binderFactory) {
			HttpServletRequest servletRequest = request.getNativeRequest(HttpServletRequest.class);
			if (servletRequest != null && servletRequest.getQueryString() == null) {
				// no query, no options: the server need not gather parameters (a body is never a form here)
				return NONE;
			}
			return new SendOptions(request.getParameter("await"), request.getParameter("timeout"),
					request.getParameter("encoding"));
		}

	}

}
