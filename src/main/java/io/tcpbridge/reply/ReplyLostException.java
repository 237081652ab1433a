package io.tcpbridge.reply;

/** The request was written, and the connection ended before its reply came. */
public final class ReplyLostException extends RuntimeException {

	ReplyLostException(String message) {
		super(message);
	}

}
