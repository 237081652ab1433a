package io.tcpbridge.links;

import java.util.Collection;

/**
 * A route named a link the bridge does not hold, or a route of the default link found none:
 * a 404 that lists the links there are.
 */
public class UnknownLinkException extends RuntimeException {

	private final Collection<String> links;

	UnknownLinkException(String message, Collection<String> links) {
		super(message);
		this.links = links;
	}

	/** The names of the links the bridge holds. */
	public Collection<String> links() {
		return this.links;
	}

}
