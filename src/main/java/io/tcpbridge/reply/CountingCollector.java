package io.tcpbridge.reply;

import java.util.ArrayList;
import java.util.List;

import io.tcpbridge.stream.Frame;

/** A reply of a known number of frames ({@code frames=N}). */
final class CountingCollector implements ReplyCollector {

	private final int count;

	private final List<Frame> frames;

	CountingCollector(int count) {
		this.count = count;
		this.frames = new ArrayList<>(Math.min(count, 16));
	}

	@Override
	public boolean add(Frame frame) {
		this.frames.add(frame);
		return this.frames.size() == this.count;
	}

	@Override
	public List<Frame> frames() {
		return this.frames;
	}

}
