package io.tcpbridge.upstream;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A frame written in configuration: UTF-8 text as it is, or bytes after {@code base64:} or
 * {@code hex:}, e.g. {@code LOGIN admin}, {@code hex:0201}, {@code base64:AAEC}.
 */
final class FrameLiteral {

	private FrameLiteral() {
	}

	/**
	 * The frame's bytes.
	 * @throws IllegalArgumentException when the base64 or hex is not valid
	 */
	static byte[] parse(String literal) {
		if (literal.startsWith("base64:")) {
			return Base64.getDecoder().decode(literal.substring("base64:".length()));
		}
		if (literal.startsWith("hex:")) {
			return HexFormat.of().parseHex(literal.substring("hex:".length()));
		}
		return literal.getBytes(StandardCharsets.UTF_8);
	}

}
