package io.tcpbridge.upstream;

/**
 * An operation that needs a running link was asked of a stopped one.
 */
public final class LinkStoppedException extends IllegalStateException {

	LinkStoppedException(String message) {
		super(message);
	}

}
