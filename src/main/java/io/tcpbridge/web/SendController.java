package io.tcpbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.Links;
import io.tcpbridge.problem.Problems;
import io.tcpbridge.reply.ReplyShape;
import io.tcpbridge.stream.Frame;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.type.LogicalType;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

/**
 * {@code POST /links/{name}/send}, and {@code POST /send} for the default link: one request
 * body is one frame to the link's upstream, as bytes, text or JSON; with {@code await=reply},
 * the answer is the reply.
 *
 * <p>Bodies are read up to one byte past the limit and no further, so an oversized upload
 * costs no more memory than the largest frame.
 */
@RestController
@Tag(name = "Send", description = "Frames to the upstream")
class SendController {

	/** The reply's id, when its bytes are the body. */
	static final String FRAME_ID_HEADER = "Frame-Id";

	/** Room for the largest frame written in hex (two characters a byte) and the JSON around it. */
	private static final int JSON_OVERHEAD = 1024;

	private final Links links;

	/** The JSON body as {@link SendRequest}: strings only, where Jackson would take a number or a boolean as one. */
	private final ObjectReader requests;

	SendController(Links links, ObjectMapper json) {
		this.links = links;
		this.requests = json.rebuild()
			.withCoercionConfig(LogicalType.Textual, (strings) -> strings.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
				.setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build()
			.readerFor(SendRequest.class);
	}

	@Operation(summary = "Write one frame to the upstream",
			description = "The body is one frame; the framing adds its delimiter or length header. With "
					+ "await=reply, the answer is the reply: the next frame received, the next frames=N, or every "
					+ "frame until one matches until=REGEX, told from other requests' replies as "
					+ "bridge.reply.correlation says (serial, fifo, key). It comes as JSON with every frame and its "
					+ "id (a reply of one frame has its fields at the top too), or, for a reply of one frame, as its "
					+ "bytes when the request accepts application/octet-stream, with its id in the Frame-Id header.")
	@ApiResponse(responseCode = "200", description = "Written to the socket; with await=reply, the reply",
			content = { @Content(mediaType = "application/json", schema = @Schema(oneOf = { SendResult.class, Reply.class })),
					@Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")) })
	@ApiResponse(responseCode = "400", description = "Empty body, malformed JSON, no data, unknown encoding, "
			+ "undecodable base64 or hex, a payload holding the framing's delimiter, a whole frame whose length field "
			+ "does not tell its size, a bad await, timeout, wait, encoding, frames or until, or (key correlation) "
			+ "a request without its key; nothing was sent")
	@ApiResponse(responseCode = "409", description = "Key correlation: a request with the same key waits for its reply; "
			+ "nothing was sent")
	@ApiResponse(responseCode = "413", description = "Larger than bridge.framing.max-frame-size")
	@ApiResponse(responseCode = "415", description = "A content type other than text/plain, application/octet-stream "
			+ "or application/json")
	@ApiResponse(responseCode = "503", description = "The upstream is not connected (after wait=, if given), or, with "
			+ "fifo and key correlation, bridge.reply.max-in-flight requests already wait for their replies; nothing was "
			+ "sent. Retry-After says when to try again; a stopped link makes no attempt until started, and has no "
			+ "Retry-After",
			headers = @Header(name = "Retry-After", description = "seconds"))
	@ApiResponse(responseCode = "502", description = "await=reply: the request was written, and the connection ended "
			+ "before its reply came")
	@ApiResponse(responseCode = "504", description = "await=reply: no whole reply came back within the timeout")
	@RequestBody(required = true, description = "The frame: bytes as they are, or UTF-8 text",
			content = { @Content(mediaType = "application/octet-stream", schema = @Schema(type = "string", format = "binary")),
					@Content(mediaType = "text/plain", schema = @Schema(type = "string")),
					@Content(mediaType = "application/json", schema = @Schema(implementation = SendRequest.class)) })
	@ApiResponse(responseCode = "404", description = "No such link (the problem lists the links); or, on /send, "
			+ "several links and none named default")
	@PostMapping(path = { "/links/{link}/send", "/send" },
			consumes = { MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_PLAIN_VALUE },
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE })
	ResponseEntity<?> sendBytes(
			@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link,
			@Parameter(hidden = true) InputStream body,
			@Parameter(hidden = true) @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
			@ParameterObject SendOptions options,
			@Parameter(hidden = true) @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept)
			throws IOException {
		Link to = this.links.resolve(link);
		byte[] frame = read(body, to.codec().maxFrameSize(), "frame", to);
		Charset charset;
		try {
			charset = contentType.getCharset();
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported charset",
					"The charset of " + contentType + " is not known; send UTF-8 text, or bytes as application/octet-stream");
		}
		if (MediaType.TEXT_PLAIN.includes(contentType) && charset != null && !StandardCharsets.UTF_8.equals(charset)) {
			frame = new String(frame, charset).getBytes(StandardCharsets.UTF_8);
		}
		return send(to, frame, options, accept);
	}

	@Hidden
	@PostMapping(path = { "/links/{link}/send", "/send" }, consumes = MediaType.APPLICATION_JSON_VALUE,
			produces = { MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_OCTET_STREAM_VALUE })
	ResponseEntity<?> sendJson(@PathVariable(required = false) @Nullable String link, InputStream body,
			SendOptions options, @RequestHeader(name = HttpHeaders.ACCEPT, required = false) @Nullable String accept)
			throws IOException {
		Link to = this.links.resolve(link);
		byte[] text = read(body, 2 * to.codec().maxFrameSize() + JSON_OVERHEAD, "JSON body", to);
		if (text.length == 0) {
			throw emptyFrame();
		}
		SendRequest request;
		try {
			request = this.requests.readValue(text);
		}
		catch (MismatchedInputException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Malformed JSON", ex.getPath().isEmpty()
					? "The body must be a JSON object: {\"data\": \"...\", \"encoding\": \"utf8|base64|hex\"}"
					: "\"data\" and \"encoding\" must be strings, as in {\"data\": \"0a0b\", \"encoding\": \"hex\"}");
		}
		catch (JacksonException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Malformed JSON",
					"The body is not the JSON {\"data\": \"...\", \"encoding\": \"utf8|base64|hex\"}: "
							+ ex.getOriginalMessage());
		}
		if (request == null) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Malformed JSON",
					"The body must be a JSON object: {\"data\": \"...\", \"encoding\": \"utf8|base64|hex\"}");
		}
		if (request.data() == null) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Missing data",
					"The JSON body needs a \"data\" field holding the frame, as in {\"data\": \"hello\"}");
		}
		PayloadEncoding encoding;
		byte[] frame;
		try {
			encoding = PayloadEncoding.named((request.encoding() != null) ? request.encoding() : "utf8");
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown encoding", ex.getMessage());
		}
		try {
			frame = encoding.decode(request.data());
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Undecodable data",
					"\"data\" is not valid " + encoding.label() + ": " + ex.getMessage());
		}
		return send(to, frame, options, accept);
	}

	private ResponseEntity<?> send(Link link, byte[] frame, SendOptions options, @Nullable String accept) {
		if (frame.length == 0) {
			throw emptyFrame();
		}
		// everything about the answer is settled before the frame is written, so that a refusal never follows a write
		boolean bytes = wantsBytes(accept);
		Duration wait = options.linkWait();
		if (!options.awaitsReply()) {
			if (bytes) {
				throw Problems.exception(HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
						"The answer to a send is JSON; only a reply (await=reply) can come as bytes");
			}
			awaitLink(link, wait);
			link.upstream().send(frame);
			return ResponseEntity.ok(new SendResult(frame.length));
		}
		Duration timeout = options.replyTimeout();
		PayloadEncoding encoding = options.replyEncoding();
		ReplyShape shape = options.replyShape(link.requestReply().defaultShape());
		if (bytes && shape.manyFrames()) {
			throw Problems.exception(HttpStatus.NOT_ACCEPTABLE, "Not acceptable", "A reply of " + shape
					+ " comes as JSON, each frame with its id; only a reply of one frame can come as bytes");
		}
		awaitLink(link, wait);
		List<Frame> reply;
		try {
			reply = link.requestReply().exchange(frame, shape, timeout);
		}
		catch (TimeoutException ex) {
			throw Problems.exception(HttpStatus.GATEWAY_TIMEOUT, "No reply in time", "No reply (" + shape
					+ ") came from the upstream within " + DurationStyle.SIMPLE.print(timeout) + " of the request ("
					+ ex.getMessage() + "); raise timeout= if the upstream is slow");
		}
		catch (InterruptedException ex) {
			throw interrupted();
		}
		if (bytes) {
			Frame only = reply.get(0);
			return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_OCTET_STREAM)
				.header(FRAME_ID_HEADER, only.id())
				.body(only.payload());
		}
		return ResponseEntity.ok(Reply.of(reply.stream().map((each) -> replyFrame(each, encoding)).toList()));
	}

	/** With {@code wait=}, gives a link that is reconnecting that long to come back. */
	private static void awaitLink(Link link, @Nullable Duration wait) {
		if (wait != null) {
			try {
				link.connectionWait().await(wait);
			}
			catch (InterruptedException ex) {
				throw interrupted();
			}
		}
	}

	private static ErrorResponseException interrupted() {
		Thread.currentThread().interrupt();
		return Problems.exception(HttpStatus.SERVICE_UNAVAILABLE, "Interrupted", "The bridge is shutting down");
	}

	private static ReplyFrame replyFrame(Frame reply, @Nullable PayloadEncoding requested) {
		PayloadEncoding encoding = (requested != null) ? requested : PayloadEncoding.UTF8;
		if (encoding == PayloadEncoding.UTF8 && PayloadEncoding.utf8OrNull(reply.payload()) == null) {
			encoding = PayloadEncoding.BASE64;
		}
		return new ReplyFrame(reply.id(), encoding.encode(reply.payload()), encoding.label());
	}

	/** Raw bytes only for a client that names them, and prefers them to JSON; not for one that takes anything. */
	private static boolean wantsBytes(@Nullable String accept) {
		if (accept == null) {
			return false;
		}
		List<MediaType> types;
		try {
			types = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Malformed Accept header", ex.getMessage());
		}
		double bytes = 0;
		double json = 0;
		for (MediaType type : types) {
			if (type.equalsTypeAndSubtype(MediaType.APPLICATION_OCTET_STREAM)) {
				bytes = Math.max(bytes, type.getQualityValue());
			}
			else if (type.equalsTypeAndSubtype(MediaType.APPLICATION_JSON)
					|| type.equalsTypeAndSubtype(MediaType.ALL) || type.equalsTypeAndSubtype(MediaType.APPLICATION_PROBLEM_JSON)) {
				json = Math.max(json, type.getQualityValue());
			}
		}
		return bytes > 0 && bytes > json;
	}

	private static ErrorResponseException emptyFrame() {
		return Problems.exception(HttpStatus.BAD_REQUEST, "Empty frame",
				"The request body is empty; send the frame's bytes as the body");
	}

	private static byte[] read(InputStream body, int limit, String what, Link link) throws IOException {
		byte[] bytes = body.readNBytes(limit + 1);
		if (bytes.length > limit) {
			throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "Frame too large",
					"The " + what + " has more than " + limit + " bytes, the most link " + link.name() + " accepts ("
							+ link.properties().property("framing.max-frame-size") + ")");
		}
		return bytes;
	}

}
