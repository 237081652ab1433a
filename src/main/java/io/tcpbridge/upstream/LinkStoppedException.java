package io.tcpbridge.upstream;

/**
 * An operation that needs a running link was asked of a stopped one.
 */
public final class LinkStoppedException extends IllegalStateException {

	private final String link;

	LinkStoppedException(String link, String message) {
		super(message);
		this.link = link;
	}

	/** The stopped link's name. */
	public String link() {
		return this.link;
	}

}
