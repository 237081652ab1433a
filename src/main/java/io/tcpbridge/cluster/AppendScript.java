package io.tcpbridge.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.data.redis.serializer.GenericToStringSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * One call of {@code append.lua} for a link: what a leader read and its changes of state,
 * in order, as the script's arguments, the frames between two changes of state packed into
 * one entry ({@link PackedFrames}); and what the script answered.
 */
final class AppendScript {

	/** The script's answer when the caller does not hold the link's lock. */
	static final long NOT_OWNER = -1;

	/** The script's answer when the link's stream is in another run than the caller's. */
	static final long OTHER_RUN = -2;

	/**
	 * Read once: a script made from a resource asks it whether it changed at every call, and
	 * in the bridge's jar that opens the nested jar's entry on the path of every append.
	 */
	private static final RedisScript<Long> SCRIPT = RedisScript.of(read("io/tcpbridge/cluster/append.lua"), Long.class);

	/** Arguments as they are: the frames' bytes, and the text of the rest as UTF-8. */
	private static final RedisSerializer<Object> ARGUMENTS = new RedisSerializer<>() {

		@Override
		public byte[] serialize(@Nullable Object value) {
			return (value instanceof byte[] bytes) ? bytes : String.valueOf(value).getBytes(StandardCharsets.UTF_8);
		}

		@Override
		public @Nullable Object deserialize(byte @Nullable [] bytes) {
			return bytes;
		}

	};

	/** The script answers a number, which needs no serializer. */
	private static final RedisSerializer<Long> RESULT = new GenericToStringSerializer<>(Long.class);

	private final List<String> keys;

	private final long maxLength;

	private final StringRedisTemplate redis;

	/**
	 * @param maxLength the frames the stream keeps: entries whose frames are all older go
	 */
	AppendScript(LinkKeys keys, long maxLength, StringRedisTemplate redis) {
		this.keys = List.of(keys.lock(), keys.meta(), keys.frames());
		this.maxLength = maxLength;
		this.redis = redis;
	}

	/**
	 * Appends the entries, for the holder of the link's lock in that run; returns the latest
	 * frame's number, {@link #NOT_OWNER} or {@link #OTHER_RUN}.
	 */
	long append(String owner, String run, List<Entry> entries) {
		List<Object> arguments = new ArrayList<>();
		arguments.add(owner);
		arguments.add(run);
		arguments.add(this.maxLength);
		List<byte[]> frames = new ArrayList<>();
		for (Entry entry : entries) {
			if (entry.frame()) {
				frames.add(entry.value());
				continue;
			}
			packInto(arguments, frames);
			arguments.add(0);
			arguments.add(entry.value());
		}
		packInto(arguments, frames);
		Long result = this.redis.execute(SCRIPT, ARGUMENTS, RESULT, this.keys, arguments.toArray());
		return (result != null) ? result : NOT_OWNER;
	}

	/** Frames read one after another as one entry's arguments: their count, and them packed. */
	private static void packInto(List<Object> arguments, List<byte[]> frames) {
		if (!frames.isEmpty()) {
			arguments.add(frames.size());
			arguments.add(PackedFrames.pack(frames));
			frames.clear();
		}
	}

	private static String read(String path) {
		try {
			return new ClassPathResource(path).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read " + path, ex);
		}
	}

	/** A frame's bytes, or a change of state's. */
	record Entry(boolean frame, byte[] value) {
	}

}
