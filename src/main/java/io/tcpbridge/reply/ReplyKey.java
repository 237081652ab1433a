package io.tcpbridge.reply;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jspecify.annotations.Nullable;

/**
 * What ties a reply to its request in {@code key} correlation: the same key taken from the
 * request and from each frame received, written as {@code bytes:OFFSET:LENGTH} (those bytes,
 * as the Modbus transaction id is {@code bytes:0:2}) or {@code regex:PATTERN} (its first
 * group, on the frame as UTF-8, as {@code regex:"id":(\d+)} takes a JSON-RPC id).
 */
public sealed interface ReplyKey permits ReplyKey.Bytes, ReplyKey.Regex {

	/** The key in {@code frame}, as text that compares equal for equal keys; {@code null} when it has none. */
	@Nullable String of(byte[] frame);

	/** Why {@link #of} found no key in a request, for the client. */
	String missing(byte[] request);

	/**
	 * Reads a key's spelling.
	 * @param property the property or parameter it came from, for the message when it is wrong
	 */
	static ReplyKey parse(String spec, String property) {
		if (spec.startsWith("bytes:")) {
			String[] numbers = spec.substring("bytes:".length()).split(":", -1);
			try {
				if (numbers.length == 2) {
					int offset = Integer.parseInt(numbers[0]);
					int length = Integer.parseInt(numbers[1]);
					if (offset >= 0 && length >= 1 && length <= 64) {
						return new Bytes(offset, length);
					}
				}
			}
			catch (NumberFormatException ex) {
				// told below
			}
			throw new IllegalArgumentException(property + "='" + spec + "' is not bytes:OFFSET:LENGTH with an offset of "
					+ "0 or more and a length of 1 to 64, as in bytes:0:2");
		}
		if (spec.startsWith("regex:")) {
			Pattern pattern;
			try {
				pattern = Pattern.compile(spec.substring("regex:".length()));
			}
			catch (PatternSyntaxException ex) {
				throw new IllegalArgumentException(property + " is not a valid regular expression: " + ex.getMessage());
			}
			if (pattern.matcher("").groupCount() < 1) {
				throw new IllegalArgumentException(property + "='" + spec + "' has no group: the key is the pattern's "
						+ "first group, as in regex:\"id\":(\\d+)");
			}
			return new Regex(pattern);
		}
		throw new IllegalArgumentException(property + "='" + spec + "' is neither bytes:OFFSET:LENGTH nor regex:PATTERN");
	}

	/** {@code length} bytes from {@code offset}, in hex. */
	record Bytes(int offset, int length) implements ReplyKey {

		@Override
		public @Nullable String of(byte[] frame) {
			if (frame.length < this.offset + this.length) {
				return null;
			}
			return HexFormat.of().formatHex(frame, this.offset, this.offset + this.length);
		}

		@Override
		public String missing(byte[] request) {
			return "The request has " + request.length + " bytes, too few for its key, bytes " + this.offset + " to "
					+ (this.offset + this.length - 1) + " (bridge.reply.key=bytes:" + this.offset + ":" + this.length + ")";
		}

	}

	/** The first group of the pattern's first match in the frame's UTF-8 text. */
	record Regex(Pattern pattern) implements ReplyKey {

		@Override
		public @Nullable String of(byte[] frame) {
			Matcher matcher = this.pattern.matcher(new String(frame, StandardCharsets.UTF_8));
			return (matcher.find() && matcher.group(1) != null) ? matcher.group(1) : null;
		}

		@Override
		public String missing(byte[] request) {
			return "The request's text has no match for its key's pattern /" + this.pattern.pattern()
					+ "/ (bridge.reply.key), so its reply could not be told from others";
		}

	}

}
