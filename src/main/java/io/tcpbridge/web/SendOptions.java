package io.tcpbridge.web;

import java.time.Duration;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.swagger.v3.oas.annotations.Parameter;
import io.tcpbridge.problem.Problems;
import io.tcpbridge.reply.ReplyShape;
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
 * The query of {@code POST /send}: {@code await=reply} to wait for the reply as the answer,
 * {@code frames} or {@code until} for where the reply ends, {@code timeout} to bound that
 * wait, {@code encoding} for the reply's data, {@code wait} to wait for a link that is
 * reconnecting.
 *
 * @param await {@code reply}, or absent for a plain send
 * @param timeout how long to wait for the reply, e.g. {@code 500ms}, {@code 5s}; 5s if absent
 * @param encoding how to write the reply's data: utf8, base64 or hex; by default utf8 when
 * the reply is valid UTF-8, base64 otherwise
 * @param frames the reply is the next this many frames, 1 to 1000
 * @param until the reply is every frame up to and including the first whose UTF-8 text this
 * regular expression finds a match in
 * @param waitFor {@code wait}: how long to wait for a link that is reconnecting before the
 * send is refused with 503, e.g. {@code 5s}; not at all if absent
 */
record SendOptions(@Nullable String await, @Nullable String timeout, @Nullable String encoding,
		@Nullable String frames, @Nullable String until,
		@Parameter(name = "wait", description = "How long to wait for a link that is reconnecting, e.g. 5s") @Nullable String waitFor) {

	/** A send without options. */
	static final SendOptions NONE = new SendOptions(null, null, null, null, null, null);

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
		return (this.timeout == null) ? DEFAULT_TIMEOUT : duration("timeout", this.timeout, "Bad timeout");
	}

	/** How long to wait for a reconnecting link; {@code null}: not at all. */
	@Nullable Duration linkWait() {
		return (this.waitFor == null) ? null : duration("wait", this.waitFor, "Bad wait");
	}

	private static Duration duration(String name, String value, String title) {
		Duration parsed = null;
		try {
			parsed = DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			// told below
		}
		if (parsed == null || parsed.isNegative() || parsed.isZero() || parsed.compareTo(LONGEST_TIMEOUT) > 0) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, title, name + "='" + value
					+ "' is not a duration between 1ms and 5m; write it like 500ms, 5s or 1m");
		}
		return parsed;
	}

	/** Where the reply ends: as the request says, or else as configured. */
	ReplyShape replyShape(ReplyShape configured) {
		if (this.frames != null && this.until != null) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Bad reply options",
					"Give frames= or until=, not both: the reply ends after a number of frames or at a frame that matches");
		}
		if (this.until != null) {
			try {
				return ReplyShape.until(Pattern.compile(this.until));
			}
			catch (PatternSyntaxException ex) {
				throw Problems.exception(HttpStatus.BAD_REQUEST, "Bad until",
						"until='" + this.until + "' is not a valid regular expression: " + ex.getDescription()
								+ " near index " + ex.getIndex());
			}
		}
		if (this.frames != null) {
			try {
				return ReplyShape.frames(Integer.parseInt(this.frames));
			}
			catch (IllegalArgumentException ex) {
				throw Problems.exception(HttpStatus.BAD_REQUEST, "Bad frames",
						"frames='" + this.frames + "' is not a number of frames from 1 to " + ReplyShape.MOST_FRAMES);
			}
		}
		return configured;
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
	 * Reads the options from the query, its parameters by name. Spring's binding of a
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
					request.getParameter("encoding"), request.getParameter("frames"), request.getParameter("until"),
					request.getParameter("wait"));
		}

	}

}
