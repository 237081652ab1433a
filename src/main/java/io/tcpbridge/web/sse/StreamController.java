package io.tcpbridge.web.sse;

import java.io.IOException;

import io.tcpbridge.links.Links;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.stream.Subscriber;
import io.tcpbridge.web.PayloadEncoding;
import io.tcpbridge.problem.Problems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /links/{name}/stream}, and {@code GET /stream} for the default link: every
 * frame from the link's upstream as Server-Sent Events, with the link's
 * state changes, and a replay of what a returning client missed. The response is written
 * without blocking by its {@link SseStream}; streams end only when the client or the bridge
 * ends them, and keep-alives find clients that are gone.
 */
@RestController
@Tag(name = "Stream", description = "Frames from the upstream")
class StreamController {

	private final Links links;

	private final SseEncoder encoder;

	StreamController(Links links, SseEncoder encoder) {
		this.links = links;
		this.encoder = encoder;
	}

	@Operation(summary = "Every frame from the upstream, as Server-Sent Events", description = """
			Events:
			- `connection`: `{"state", "at", "error"}`, first on every stream, then on every change of the link 			(CONNECTING, CONNECTED, DISCONNECTED, STOPPED).
			- `frame`: one frame, with `id: <run>-<n>` (`<link>:<run>-<n>` on every link but `default`); `data` in 			the stream's encoding.
			- `frame-base64`: on a utf8 stream, a frame that is not valid UTF-8 or holds a carriage return, 			in base64, never altered.
			- `gap`: `{"missed", "reason"}`, frames this subscriber will never get: `evicted` (no longer in 			history), `restarted` (the id is from an earlier run of the bridge), `slow-consumer`, 			`replica-behind` (a replica of a cluster fell behind its shared stream).
			- a comment `: keep-alive` every heartbeat interval (15 s).

			With `Last-Event-ID` (or `lastEventId`), every later frame still in history is replayed first.""")
	@ApiResponse(responseCode = "200", description = "The stream, until the client or the bridge ends it",
			content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(type = "string")))
	@ApiResponse(responseCode = "400", description = "Unknown encoding, or an id this bridge never gave, or "
			+ "another link gave")
	@ApiResponse(responseCode = "404", description = "No such link (the problem lists the links); or, on /stream, "
			+ "several links and none named default")
	@ApiResponse(responseCode = "503", description = "The bridge already serves bridge.stream.max-subscribers subscribers; "
			+ "Retry-After says when to try again", headers = @Header(name = "Retry-After", description = "seconds"))
	@GetMapping(path = { "/links/{link}/stream", "/stream" }, produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void stream(@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link,
			@Parameter(description = "utf8 (default), base64 or hex") @RequestParam(defaultValue = "utf8") String encoding,
			@Parameter(description = "the id of the last frame the client has")
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventIdHeader,
			@Parameter(description = "Last-Event-ID, for clients that cannot set headers")
			@RequestParam(name = "lastEventId", required = false) @Nullable String lastEventIdParameter,
			@Parameter(hidden = true) HttpServletRequest request, @Parameter(hidden = true) HttpServletResponse response)
			throws IOException {
		FrameHub hub = this.links.resolve(link).hub();
		PayloadEncoding payloadEncoding;
		try {
			payloadEncoding = PayloadEncoding.named(encoding);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown encoding", ex.getMessage());
		}
		String lastEventId = (lastEventIdHeader != null) ? lastEventIdHeader : lastEventIdParameter;
		SseStream stream = new SseStream(request, this.encoder.events(payloadEncoding));
		Subscriber subscriber;
		try {
			subscriber = hub.subscribe(stream, lastEventId);
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown event id", ex.getMessage());
		}
		response.setStatus(HttpStatus.OK.value());
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setBufferSize(SseStream.RESPONSE_BUFFER_BYTES);
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		// tells nginx and similar proxies not to hold events back
		response.setHeader("X-Accel-Buffering", "no");
		stream.open(subscriber);
	}

}
