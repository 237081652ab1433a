package io.tcpbridge.reply;

import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Where a reply ends: after a number of frames, or at the first frame whose UTF-8 text
 * matches a pattern. Each exchange gets a {@link ReplyCollector} of its own from it.
 */
public final class ReplyShape {

	/** The most frames one reply may have. */
	public static final int MOST_FRAMES = 1000;

	private final int frames;

	private final @Nullable Pattern until;

	private ReplyShape(int frames, @Nullable Pattern until) {
		this.frames = frames;
		this.until = until;
	}

	/** The next {@code frames} frames, 1 to {@value #MOST_FRAMES}. */
	public static ReplyShape frames(int frames) {
		if (frames < 1 || frames > MOST_FRAMES) {
			throw new IllegalArgumentException("frames=" + frames + " is not between 1 and " + MOST_FRAMES);
		}
		return new ReplyShape(frames, null);
	}

	/** Every frame up to and including the first whose UTF-8 text {@code until} finds a match in. */
	public static ReplyShape until(Pattern until) {
		return new ReplyShape(0, until);
	}

	/** Whether the reply may hold more than one frame. */
	public boolean manyFrames() {
		return this.until != null || this.frames > 1;
	}

	ReplyCollector collector() {
		return (this.until != null) ? new MatchingCollector(this.until) : new CountingCollector(this.frames);
	}

	@Override
	public String toString() {
		return (this.until != null) ? "until /" + this.until.pattern() + "/" : this.frames + " frame" + ((this.frames == 1) ? "" : "s");
	}

}
