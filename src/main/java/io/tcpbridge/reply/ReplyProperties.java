package io.tcpbridge.reply;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How {@code POST /send?await=reply} tells a request's reply among the frames the upstream
 * sends, and where the reply ends.
 *
 * @param correlation serial (one exchange at a time), fifo (pipelined, replies in request
 * order) or key (pipelined, replies matched by a key in the frame)
 * @param key with key correlation: {@code bytes:OFFSET:LENGTH} or {@code regex:PATTERN}
 * (its first group, on the frame as UTF-8), taken from the request and from each frame
 * @param frames the default reply: the next this many frames (1 to 1000); 1 if neither this
 * nor {@code until} is set
 * @param until the default reply: every frame up to and including the first whose UTF-8
 * text matches this pattern
 * @param maxInFlight with fifo and key, the most requests waiting for their replies at once
 */
@Validated
@ConfigurationProperties("bridge.reply")
public record ReplyProperties(@DefaultValue("serial") @NotNull Correlation correlation, @Nullable String key,
		@Nullable @Min(1) @Max(ReplyShape.MOST_FRAMES) Integer frames, @Nullable String until,
		@DefaultValue("64") @Min(1) @Max(100_000) int maxInFlight) {

	public ReplyProperties {
		if (correlation == Correlation.KEY && (key == null || key.isBlank())) {
			throw new IllegalArgumentException("bridge.reply.correlation=key needs bridge.reply.key: bytes:OFFSET:LENGTH "
					+ "(e.g. bytes:0:2, the Modbus transaction id) or regex:PATTERN (its first group)");
		}
		if (correlation != null && correlation != Correlation.KEY && key != null) {
			throw new IllegalArgumentException("bridge.reply.key applies to bridge.reply.correlation=key only, and the "
					+ "correlation is " + correlation.name().toLowerCase(java.util.Locale.ROOT));
		}
		if (key != null && correlation == Correlation.KEY) {
			ReplyKey.parse(key, "bridge.reply.key");
		}
		if (frames != null && until != null) {
			throw new IllegalArgumentException("Set bridge.reply.frames or bridge.reply.until, not both: the reply "
					+ "ends after a number of frames or at a frame that matches");
		}
		if (until != null) {
			compile(until);
		}
	}

	/** The reply a request gets when it names neither {@code frames} nor {@code until}. */
	public ReplyShape defaultShape() {
		return (this.until != null) ? ReplyShape.until(compile(this.until)) : ReplyShape.frames((this.frames != null) ? this.frames : 1);
	}

	/** The key of {@code key} correlation; {@code null} for the others. */
	public @Nullable ReplyKey replyKey() {
		return (this.correlation == Correlation.KEY) ? ReplyKey.parse(this.key, "bridge.reply.key") : null;
	}

	private static Pattern compile(String until) {
		try {
			return Pattern.compile(until);
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("bridge.reply.until is not a valid regular expression: " + ex.getMessage());
		}
	}

	/** How replies are told apart. */
	public enum Correlation {

		/** One request-reply at a time: the next frames after a request are its reply. */
		SERIAL,

		/** Requests pipelined; replies come in request order, and nothing comes unasked. */
		FIFO,

		/** Requests pipelined; a reply carries its request's key, in any order; other frames are only published. */
		KEY

	}

}
