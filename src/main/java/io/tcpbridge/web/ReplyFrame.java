package io.tcpbridge.web;

/**
 * The answer to {@code POST /send?await=reply}: the next frame received after the request.
 *
 * @param id the frame's id, as on the stream
 * @param data the frame's bytes, written in the encoding
 * @param encoding utf8, base64 or hex
 */
record ReplyFrame(String id, String data, String encoding) {
}
