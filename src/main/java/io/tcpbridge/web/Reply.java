package io.tcpbridge.web;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code POST /send?await=reply}: every frame of the reply, in order, each
 * with its id. A reply of one frame has that frame's fields at the top too, as every reply
 * had before replies could have more than one.
 *
 * @param id the only frame's id, for a reply of one frame
 * @param data the only frame's bytes, written in the encoding
 * @param encoding utf8, base64 or hex
 * @param frames the reply's frames
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record Reply(@Nullable String id, @Nullable String data, @Nullable String encoding, List<ReplyFrame> frames) {

	static Reply of(List<ReplyFrame> frames) {
		if (frames.size() == 1) {
			ReplyFrame only = frames.get(0);
			return new Reply(only.id(), only.data(), only.encoding(), frames);
		}
		return new Reply(null, null, null, frames);
	}

}
