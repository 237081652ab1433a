package io.tcpbridge.reply;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.tcpbridge.stream.Frame;

/**
 * A reply that ends with the first frame whose UTF-8 text the pattern finds a match in
 * ({@code until=REGEX}), as SMTP's {@code 250 } ends its {@code 250-} lines. It holds at most
 * {@value ReplyShape#MOST_FRAMES} frames: a reply that goes on longer ends there.
 */
final class MatchingCollector implements ReplyCollector {

	private final Pattern until;

	private final List<Frame> frames = new ArrayList<>();

	MatchingCollector(Pattern until) {
		this.until = until;
	}

	@Override
	public boolean add(Frame frame) {
		this.frames.add(frame);
		return this.until.matcher(new String(frame.payload(), StandardCharsets.UTF_8)).find()
				|| this.frames.size() == ReplyShape.MOST_FRAMES;
	}

	@Override
	public List<Frame> frames() {
		return this.frames;
	}

}
