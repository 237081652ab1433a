package io.tcpbridge.links;

/**
 * A setting of the links that start-up refuses: a bad name, today's keys beside
 * {@code bridge.links}, or a bad value under one link. The message names the property.
 */
class LinkSettingException extends RuntimeException {

	LinkSettingException(String message, Throwable cause) {
		super(message, cause);
	}

	LinkSettingException(String message) {
		super(message);
	}

}
