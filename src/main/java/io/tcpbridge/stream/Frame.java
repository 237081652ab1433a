package io.tcpbridge.stream;

/**
 * One frame received from the upstream, with its place in the stream.
 *
 * @param seq its number in this run of the bridge, from 1, growing across reconnects
 * @param id its event id, {@code <run>-<seq>}, unique across runs of the bridge
 * @param payload its bytes; never modified once received
 * @param receivedNanos when it was read, from {@link System#nanoTime()}
 */
public record Frame(long seq, String id, byte[] payload, long receivedNanos) {
}
