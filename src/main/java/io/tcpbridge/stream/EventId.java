package io.tcpbridge.stream;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * Frame ids, {@code <run>-<seq>}: the run is the bridge's start time in base 36, so that an
 * id from an earlier run is never taken for one of this run's.
 *
 * @param run the run of the bridge that gave the id
 * @param seq the frame's number in that run
 */
record EventId(String run, long seq) {

	static String format(String run, long seq) {
		return run + "-" + seq;
	}

	static String runOf(long startMillis) {
		return Long.toString(startMillis, 36).toLowerCase(Locale.ROOT);
	}

	/**
	 * Reads an id as a client sent it back.
	 * @throws IllegalArgumentException when it is not an id this bridge gives
	 */
	static EventId parse(String id) {
		int dash = id.lastIndexOf('-');
		if (dash <= 0 || dash == id.length() - 1 || !id.substring(0, dash).matches("[0-9a-z]+")) {
			throw new IllegalArgumentException(invalid(id));
		}
		try {
			long seq = Long.parseLong(id.substring(dash + 1));
			if (seq < 0) {
				throw new IllegalArgumentException(invalid(id));
			}
			return new EventId(id.substring(0, dash), seq);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(invalid(id), ex);
		}
	}

	static @Nullable EventId parseOrNull(@Nullable String id) {
		return (id == null || id.isBlank()) ? null : parse(id.strip());
	}

	private static String invalid(String id) {
		return "'" + id + "' is not a frame id of this bridge; ids look like 'lx3k9a2b-42'";
	}

}
