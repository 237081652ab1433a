package io.tcpbridge.web;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How a frame's bytes travel in text: as UTF-8, base64 or hex.
 */
public enum PayloadEncoding {

	UTF8 {
		@Override
		byte[] decode(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public String encode(byte[] bytes) {
			String text = utf8OrNull(bytes);
			if (text == null) {
				throw new IllegalArgumentException("The frame is not valid UTF-8");
			}
			return text;
		}
	},

	BASE64 {
		@Override
		byte[] decode(String text) {
			return Base64.getDecoder().decode(text);
		}

		@Override
		public String encode(byte[] bytes) {
			return Base64.getEncoder().encodeToString(bytes);
		}
	},

	HEX {
		@Override
		byte[] decode(String text) {
			return HexFormat.of().parseHex(text);
		}

		@Override
		public String encode(byte[] bytes) {
			return HexFormat.of().formatHex(bytes);
		}
	};

	static final String NAMES = "utf8, base64 or hex";

	/**
	 * Reads the bytes written in this encoding.
	 * @throws IllegalArgumentException when the text is not valid in this encoding
	 */
	abstract byte[] decode(String text);

	/**
	 * Writes the bytes in this encoding.
	 * @throws IllegalArgumentException for bytes that are not UTF-8, in {@code utf8}
	 */
	public abstract String encode(byte[] bytes);

	/** The name used in requests and answers: {@code utf8}, {@code base64}, {@code hex}. */
	String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The encoding of this name, as used in requests ({@code utf8}, {@code base64}, {@code hex}).
	 * @throws IllegalArgumentException for any other name
	 */
	public static PayloadEncoding named(String name) {
		return switch (name.toLowerCase(Locale.ROOT)) {
			case "utf8", "utf-8" -> UTF8;
			case "base64" -> BASE64;
			case "hex" -> HEX;
			default -> throw new IllegalArgumentException("Unknown encoding '" + name + "'; use " + NAMES);
		};
	}

	/** The bytes as text, when they are valid UTF-8; {@code null} otherwise. */
	public static @Nullable String utf8OrNull(byte[] bytes) {
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			return null;
		}
	}

}
