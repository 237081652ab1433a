package io.tcpbridge.stream;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * Frame ids, {@code <run>-<seq>}. The run is the hub's start time in base 36, so that an
 * id from an earlier run is never taken for one of this run's; on every link but the one
 * named {@code default}, after the link's name and a colon ({@code plc1:lx3k9a2b-42}), so
 * that an id of one link is never taken for another's.
 *
 * @param run the run of the hub that gave the id, with its link's name
 * @param seq the frame's number in that run
 */
record EventId(String run, long seq) {

	private static final String DEFAULT_LINK = "default";

	private static final Pattern ID = Pattern.compile("(?:([a-z0-9][a-z0-9-]{0,62}):)?[0-9a-z]+-([0-9]+)");

	static String format(String run, long seq) {
		return run + "-" + seq;
	}

	static String runOf(String link, long startMillis) {
		String stamp = Long.toString(startMillis, 36).toLowerCase(Locale.ROOT);
		return DEFAULT_LINK.equals(link) ? stamp : link + ":" + stamp;
	}

	/** The name of the link that gave it. */
	String link() {
		int colon = this.run.indexOf(':');
		return (colon < 0) ? DEFAULT_LINK : this.run.substring(0, colon);
	}

	/**
	 * Reads an id as a client sent it back.
	 * @throws IllegalArgumentException when it is not an id this bridge gives
	 */
	static EventId parse(String id) {
		Matcher matcher = ID.matcher(id);
		if (!matcher.matches()) {
			throw new IllegalArgumentException(invalid(id));
		}
		int dash = id.lastIndexOf('-');
		try {
			return new EventId(id.substring(0, dash), Long.parseLong(id.substring(dash + 1)));
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(invalid(id), ex);
		}
	}

	static @Nullable EventId parseOrNull(@Nullable String id) {
		return (id == null || id.isBlank()) ? null : parse(id.strip());
	}

	private static String invalid(String id) {
		return "'" + id + "' is not a frame id of this bridge; ids look like 'lx3k9a2b-42', or 'plc1:lx3k9a2b-42' on "
				+ "link plc1";
	}

}
