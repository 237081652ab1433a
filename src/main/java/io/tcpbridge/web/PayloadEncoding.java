package io.tcpbridge.web;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * How a frame's bytes travel in text: as UTF-8, base64 or hex.
 */
enum PayloadEncoding {

	UTF8 {
		@Override
		byte[] decode(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
	},

	BASE64 {
		@Override
		byte[] decode(String text) {
			return Base64.getDecoder().decode(text);
		}
	},

	HEX {
		@Override
		byte[] decode(String text) {
			return HexFormat.of().parseHex(text);
		}
	};

	static final String NAMES = "utf8, base64 or hex";

	/**
	 * Reads the bytes written in this encoding.
	 * @throws IllegalArgumentException when the text is not valid in this encoding
	 */
	abstract byte[] decode(String text);

	/**
	 * The encoding of this name, as used in requests ({@code utf8}, {@code base64}, {@code hex}).
	 * @throws IllegalArgumentException for any other name
	 */
	static PayloadEncoding named(String name) {
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "utf8", "utf-8" -> UTF8;
			case "base64" -> BASE64;
			case "hex" -> HEX;
			default -> throw new IllegalArgumentException("Unknown encoding '" + name + "'; use " + NAMES);
		};
	}

}
