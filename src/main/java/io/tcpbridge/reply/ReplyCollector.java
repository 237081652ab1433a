package io.tcpbridge.reply;

import java.util.List;

import io.tcpbridge.stream.Frame;

/**
 * The frames of one reply as they come, on the thread that reads the upstream, which is
 * the only one to call {@link #add}: it says when the reply is whole.
 */
sealed interface ReplyCollector permits CountingCollector, MatchingCollector {

	/** Takes the next frame of the reply; {@code true} when the reply is whole with it. */
	boolean add(Frame frame);

	/** The frames taken, in order. */
	List<Frame> frames();

}
