package io.tcpbridge.web;

import io.tcpbridge.framing.FrameRejectedException;
import io.tcpbridge.links.UnknownLinkException;
import io.tcpbridge.problem.Problems;
import io.tcpbridge.reply.BadReplyRequestException;
import io.tcpbridge.reply.KeyInFlightException;
import io.tcpbridge.reply.ReplyLostException;
import io.tcpbridge.reply.TooManyInFlightException;
import io.tcpbridge.stream.StreamUnavailableException;
import io.tcpbridge.stream.TooManySubscribersException;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.LinkStatus;
import io.tcpbridge.upstream.LinkStoppedException;
import io.tcpbridge.upstream.UpstreamUnavailableException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Turns every refusal into an RFC 9457 problem detail with a title a person understands,
 * including Spring MVC's own (unknown path, wrong method, wrong content type).
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

	@ExceptionHandler
	ProblemDetail frameRejected(FrameRejectedException ex) {
		return switch (ex.reason()) {
			case TOO_LARGE -> Problems.of(HttpStatus.CONTENT_TOO_LARGE, "Frame too large", ex.getMessage());
			case CONTAINS_DELIMITER -> Problems.of(HttpStatus.BAD_REQUEST, "Frame contains the delimiter",
					ex.getMessage());
			case LENGTH_MISMATCH -> Problems.of(HttpStatus.BAD_REQUEST, "Frame does not match its length field",
					ex.getMessage() + ". Nothing was sent.");
		};
	}

	/**
	 * {@code Retry-After} says when the next connection attempt is due; a stopped link makes
	 * none until an operator starts it, so it gets no {@code Retry-After}, and the answer says
	 * how to start it.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> upstreamUnavailable(UpstreamUnavailableException ex) {
		LinkStatus status = ex.status();
		String detail = ex.getMessage() + (status.lastError() != null ? "; last error: " + status.lastError().message()
				: "") + ". Nothing was sent.";
		if (status.state() == LinkState.STOPPED) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
				.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Upstream not connected",
						detail + " The link is stopped and makes no attempt until started: POST /api/links/"
								+ status.name() + "/start"));
		}
		long retrySeconds = Math.max(1, (ex.retryAfter().toMillis() + 999) / 1000);
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(retrySeconds))
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Upstream not connected", detail));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManyInFlight(TooManyInFlightException ex) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, "1")
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Too many requests waiting for replies", ex.getMessage()));
	}

	@ExceptionHandler
	ProblemDetail keyInFlight(KeyInFlightException ex) {
		return Problems.of(HttpStatus.CONFLICT, "Key already waiting for its reply", ex.getMessage());
	}

	@ExceptionHandler
	ProblemDetail badReplyRequest(BadReplyRequestException ex) {
		return Problems.of(HttpStatus.BAD_REQUEST, "Request without its key", ex.getMessage() + ". Nothing was sent.");
	}

	@ExceptionHandler
	ProblemDetail replyLost(ReplyLostException ex) {
		return Problems.of(HttpStatus.BAD_GATEWAY, "Connection lost before the reply", ex.getMessage());
	}

	/** A new subscriber over the limit: told at once, rather than left waiting for a connection. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> tooManySubscribers(TooManySubscribersException ex) {
		return unavailable(10, "Too many subscribers", ex.getMessage() + ". Try again later.");
	}

	/** A replica that cannot vouch for the stream yet: told at once, with when to try again. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> streamUnavailable(StreamUnavailableException ex) {
		return unavailable(2, "Stream not available on this replica",
				ex.getMessage() + ". Try again shortly, or another replica.");
	}

	private static ResponseEntity<ProblemDetail> unavailable(int retryAfterSeconds, String title, String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfterSeconds))
			.body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, title, detail));
	}

	@ExceptionHandler
	ProblemDetail linkStopped(LinkStoppedException ex) {
		return Problems.of(HttpStatus.CONFLICT, "Link stopped",
				ex.getMessage() + ": POST /api/links/" + ex.link() + "/start");
	}

	@ExceptionHandler
	ProblemDetail unknownLink(UnknownLinkException ex) {
		return Problems.unknownLink(ex);
	}

	@Override
	protected ResponseEntity<Object> handleHttpMediaTypeNotSupported(HttpMediaTypeNotSupportedException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		ex.getBody().setTitle("Unsupported content type");
		ex.getBody().setDetail((ex.getContentType() != null ? "Content-Type " + ex.getContentType() + " is not accepted here"
				: "The request has no Content-Type") + "; use one of " + ex.getSupportedMediaTypes());
		return super.handleHttpMediaTypeNotSupported(ex, headers, status, request);
	}

}
