package io.tcpbridge.web;

/**
 * One frame of a reply to {@code POST /send?await=reply}.
 *
 * @param id the frame's id, as on the stream
 * @param data the frame's bytes, written in the encoding
 * @param encoding utf8, base64 or hex
 */
record ReplyFrame(String id, String data, String encoding) {
}
