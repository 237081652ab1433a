package io.tcpbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.tcpbridge.framing.FrameCodec;
import io.tcpbridge.upstream.UpstreamLink;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.ErrorResponseException;

/**
 * {@code POST /send}: one request body is one frame to the upstream, as bytes, text or JSON.
 *
 * <p>Bodies are read up to one byte past the limit and no further, so an oversized upload
 * costs no more memory than the largest frame.
 */
@RestController
class SendController {

	/** Room for the largest frame written in hex (two characters a byte) and the JSON around it. */
	private static final int JSON_OVERHEAD = 1024;

	private final UpstreamLink link;

	private final int maxFrameSize;

	private final ObjectMapper json;

	SendController(UpstreamLink link, FrameCodec codec, ObjectMapper json) {
		this.link = link;
		this.maxFrameSize = codec.maxFrameSize();
		this.json = json;
	}

	@PostMapping(path = "/send", consumes = { MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_PLAIN_VALUE })
	SendResult sendBytes(InputStream body, @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType)
			throws IOException {
		byte[] frame = read(body, this.maxFrameSize, "frame");
		Charset charset = contentType.getCharset();
		if (MediaType.TEXT_PLAIN.includes(contentType) && charset != null && !StandardCharsets.UTF_8.equals(charset)) {
			frame = new String(frame, charset).getBytes(StandardCharsets.UTF_8);
		}
		return send(frame);
	}

	@PostMapping(path = "/send", consumes = MediaType.APPLICATION_JSON_VALUE)
	SendResult sendJson(InputStream body) throws IOException {
		byte[] text = read(body, 2 * this.maxFrameSize + JSON_OVERHEAD, "JSON body");
		if (text.length == 0) {
			throw emptyFrame();
		}
		SendRequest request;
		try {
			request = this.json.readValue(text, SendRequest.class);
		}
		catch (JacksonException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Malformed JSON",
					"The body is not the JSON {\"data\": \"...\", \"encoding\": \"utf8|base64|hex\"}: "
							+ ex.getOriginalMessage());
		}
		if (request == null || request.data() == null) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Missing data",
					"The JSON body needs a \"data\" field holding the frame");
		}
		PayloadEncoding encoding;
		byte[] frame;
		try {
			encoding = PayloadEncoding.named(request.encoding() != null ? request.encoding() : "utf8");
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Unknown encoding", ex.getMessage());
		}
		try {
			frame = encoding.decode(request.data());
		}
		catch (IllegalArgumentException ex) {
			throw Problems.exception(HttpStatus.BAD_REQUEST, "Undecodable data",
					"\"data\" is not valid " + encoding.name().toLowerCase() + ": " + ex.getMessage());
		}
		return send(frame);
	}

	private SendResult send(byte[] frame) {
		if (frame.length == 0) {
			throw emptyFrame();
		}
		this.link.send(frame);
		return new SendResult(frame.length);
	}

	private static ErrorResponseException emptyFrame() {
		return Problems.exception(HttpStatus.BAD_REQUEST, "Empty frame",
				"The request body is empty; send the frame's bytes as the body");
	}

	private static byte[] read(InputStream body, int limit, String what) throws IOException {
		byte[] bytes = body.readNBytes(limit + 1);
		if (bytes.length > limit) {
			throw Problems.exception(HttpStatus.CONTENT_TOO_LARGE, "Frame too large",
					"The " + what + " has more than " + limit + " bytes, the most this bridge accepts"
							+ " (bridge.framing.max-frame-size)");
		}
		return bytes;
	}

}
