package io.tcpbridge.links;

import java.util.regex.Pattern;

import io.tcpbridge.framing.FramingProperties;
import io.tcpbridge.reply.ReplyProperties;
import io.tcpbridge.stream.StreamProperties;
import io.tcpbridge.upstream.UpstreamProperties;

/**
 * The settings of one link: {@code bridge.links.<name>.upstream|framing|reply|stream.*}, or,
 * for the one link named {@code default} of a bridge without {@code bridge.links}, today's
 * {@code bridge.upstream|framing|reply|stream.*}.
 *
 * @param name the link's name, in its routes ({@code /links/<name>/...}), meters and logs
 * @param prefix where its settings are, {@code bridge} or {@code bridge.links.<name>}
 * @param upstream where the upstream is, and how the link stays connected to it
 * @param framing how frames are cut from the byte stream
 * @param reply how replies are told apart
 * @param stream how frames reach the link's subscribers
 */
public record LinkProperties(String name, String prefix, UpstreamProperties upstream, FramingProperties framing,
		ReplyProperties reply, StreamProperties stream) {

	/** The name of the link that today's keys define, and that today's routes serve. */
	public static final String DEFAULT = "default";

	/** What a link may be called: it goes into paths, meter tags and frame ids. */
	static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

	/** A property of this link by its name under the link, {@code upstream.port}, as configuration spells it. */
	public String property(String relative) {
		return this.prefix + "." + relative;
	}

}
