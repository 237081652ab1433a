package io.tcpbridge.web;

import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.stream.Subscriber;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /stream}: every frame from the upstream as Server-Sent Events, with the link's
 * state changes, and a replay of what a returning client missed.
 */
@RestController
class StreamController {

	/** Streams end only when the client or the bridge ends them; keep-alives find dead clients. */
	private static final long NO_TIMEOUT = 0L;

	private final FrameHub hub;

	private final ObjectMapper json;

	StreamController(FrameHub hub, ObjectMapper json) {
		this.hub = hub;
		this.json = json;
	}

	@GetMapping(path = "/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam(defaultValue = "utf8") String encoding,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
			@RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParameter,
			HttpServletRequest request, HttpServletResponse response) {
		PayloadEncoding payloadEncoding;
		try {
			payloadEncoding = PayloadEncoding.named(encoding);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown encoding", ex.getMessage());
		}
		String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
		SseEmitter emitter = new SseEmitter(NO_TIMEOUT);
		SseSink sink = new SseSink(emitter, payloadEncoding, this.json,
				request.getRemoteAddr() + ":" + request.getRemotePort());
		Subscriber subscriber;
		try {
			subscriber = this.hub.subscribe(sink, lastEventId);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown event id", ex.getMessage());
		}
		emitter.onCompletion(subscriber::cancel);
		emitter.onTimeout(subscriber::cancel);
		emitter.onError((ex) -> subscriber.cancel());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// tells nginx and similar proxies not to hold events back
		response.setHeader("X-Accel-Buffering", "no");
		return emitter;
	}

}
