package io.tcpbridge.reply;

/** A request whose reply could not be told: it holds no key; nothing was sent. */
public final class BadReplyRequestException extends RuntimeException {

	BadReplyRequestException(String message) {
		super(message);
	}

}
