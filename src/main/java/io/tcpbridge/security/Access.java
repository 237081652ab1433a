package io.tcpbridge.security;

import java.util.Locale;

/**
 * What a request may do, as its token allows. Put on the request (and a WebSocket session)
 * as the attribute {@link #ATTRIBUTE}. Each is a scope, {@code bridge:read},
 * {@code bridge:write}, {@code bridge:metrics}, and for one link {@code bridge:read:<link>},
 * {@code bridge:write:<link>}.
 */
public enum Access {

	/** Subscribe and read the link's state. */
	READ,

	/** All of {@link #READ}, plus send and the operator controls. */
	WRITE,

	/** Scrape the metrics. */
	METRICS;

	public static final String ATTRIBUTE = Access.class.getName();

	/** The scope of this access to every link. */
	String scope() {
		return "bridge:" + name().toLowerCase(Locale.ROOT);
	}

	/** The scope of this access to one link. */
	String scope(String link) {
		return scope() + ":" + link;
	}

}
