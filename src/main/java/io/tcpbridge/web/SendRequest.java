package io.tcpbridge.web;

import org.jspecify.annotations.Nullable;

/**
 * The JSON form of {@code POST /send}: {@code {"data": "...", "encoding": "utf8|base64|hex"}}.
 *
 * @param data the frame, written in the encoding
 * @param encoding {@code utf8} (the default), {@code base64} or {@code hex}
 */
record SendRequest(@Nullable String data, @Nullable String encoding) {
}
