package io.tcpbridge.security;

/**
 * What a request may do, as its token allows. Put on the request (and a WebSocket session)
 * as the attribute {@link #ATTRIBUTE}.
 */
public enum Access {

	/** Subscribe and read the link's state. */
	READ,

	/** All of {@link #READ}, plus send and the operator controls. */
	WRITE,

	/** Scrape the metrics. */
	METRICS;

	public static final String ATTRIBUTE = Access.class.getName();

}
