package io.tcpbridge.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * Problem details (RFC 9457) with a title a person understands.
 */
final class Problems {

	private Problems() {
	}

	static ProblemDetail of(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	static ErrorResponseException exception(HttpStatus status, String title, String detail) {
		return new ErrorResponseException(status, of(status, title, detail), null);
	}

}
