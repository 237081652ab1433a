package io.tcpbridge.problem;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import io.tcpbridge.links.UnknownLinkException;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Problem details (RFC 9457) with a title a person understands: as a value for Spring MVC
 * to write, or, where a request is refused before it reaches Spring MVC (the security chain,
 * the WebSocket handshake, the server's own error pages), as the bytes of a response. The
 * one writer of problems, so that each is the same JSON, escaped.
 */
public final class Problems {

	private static final JsonMapper json = JsonMapper.builder().build();

	private Problems() {
	}

	public static ProblemDetail of(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/** A route that names no link the bridge holds: 404, with the names of those it does as {@code links}. */
	public static ProblemDetail unknownLink(UnknownLinkException ex) {
		ProblemDetail problem = of(HttpStatus.NOT_FOUND, "Unknown link", ex.getMessage());
		problem.setProperty("links", ex.links());
		return problem;
	}

	public static ErrorResponseException exception(HttpStatus status, String title, String detail) {
		return new ErrorResponseException(status, of(status, title, detail), null);
	}

	/** The problem as {@code application/problem+json}, with the members Spring MVC writes. */
	public static byte[] json(HttpStatus status, String title, String detail) {
		return json(status.value(), title, detail);
	}

	/** The same, for a status code that {@link HttpStatus} may not name. */
	public static byte[] json(int status, String title, String detail) {
		return json(ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail), title);
	}

	/** The problem, with its properties, as Spring MVC writes it. */
	public static byte[] json(ProblemDetail problem) {
		return json(problem, problem.getTitle());
	}

	private static byte[] json(ProblemDetail problem, String title) {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("type", "about:blank");
		members.put("title", title);
		members.put("status", problem.getStatus());
		members.put("detail", problem.getDetail());
		if (problem.getProperties() != null) {
			members.putAll(problem.getProperties());
		}
		return json.writeValueAsBytes(members);
	}

	/** Answers with the problem, for a request refused before Spring MVC. */
	public static void write(HttpServletResponse response, HttpStatus status, String title, String detail)
			throws IOException {
		byte[] body = json(status, title, detail);
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
