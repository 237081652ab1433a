package io.tcpbridge.web;

/**
 * The answer to a successful {@code POST /send}.
 *
 * @param bytes the payload bytes written, not counting the framing's delimiter or header
 */
record SendResult(int bytes) {
}
