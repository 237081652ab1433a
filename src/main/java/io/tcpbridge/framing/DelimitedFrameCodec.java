package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Frames that end with a delimiter of one or more bytes: {@code lf}, {@code crlf}, {@code nul}.
 *
 * <pre>
 * +---------------------------+-----------+
 * | payload (0..max bytes,    | delimiter |   lf: 0A   crlf: 0D 0A   nul: 00
 * |  never the delimiter)     |           |
 * +---------------------------+-----------+
 * </pre>
 *
 * The delimiter is not part of the payload. An empty payload (two delimiters in a row) is a
 * frame of its own.
 */
final class DelimitedFrameCodec extends FrameCodec {

	private final byte[] delimiter;

	DelimitedFrameCodec(FramingMode mode, int maxFrameSize, byte... delimiter) {
		super(mode, maxFrameSize);
		this.delimiter = delimiter.clone();
	}

	/**
	 * Finds the delimiter's last byte in bulk (see {@link FrameCodec#readUntil}); for
	 * {@code crlf}, a line feed without the carriage return before it is payload.
	 */
	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		byte last = this.delimiter[this.delimiter.length - 1];
		int head = this.delimiter.length - 1;
		int max = maxFrameSize() + head;
		byte[] frame = readUntil(in, last, max, 0);
		while (frame != null && !endsWithDelimiterHead(frame)) {
			// the end byte alone is payload: keep it and read on
			if (frame.length + 1 > max) {
				frame = null;
				break;
			}
			byte[] more = readUntil(in, last, max - frame.length - 1, frame.length + 1);
			if (more != null) {
				byte[] joined = Arrays.copyOf(frame, frame.length + 1 + more.length);
				joined[frame.length] = last;
				System.arraycopy(more, 0, joined, frame.length + 1, more.length);
				more = joined;
			}
			frame = more;
		}
		if (frame == null) {
			throw FrameTooLargeException.withoutEnd(maxFrameSize(),
					"no " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(this.delimiter) + " delimiter");
		}
		return (head == 0) ? frame : Arrays.copyOf(frame, frame.length - head);
	}

	/** Whether the bytes before the delimiter's last byte are the rest of it. */
	private boolean endsWithDelimiterHead(byte[] frame) {
		int head = this.delimiter.length - 1;
		if (frame.length < head) {
			return false;
		}
		for (int i = 0; i < head; i++) {
			if (frame[frame.length - head + i] != this.delimiter[i]) {
				return false;
			}
		}
		return true;
	}

	@Override
	public void check(byte[] payload) {
		super.check(payload);
		if (indexOf(payload, this.delimiter) >= 0) {
			throw new FrameRejectedException(FrameRejectedException.Reason.CONTAINS_DELIMITER,
					"The frame contains the " + mode().configName() + " delimiter ("
							+ HexFormat.ofDelimiter(" ").withUpperCase().formatHex(this.delimiter)
							+ "), which would split it in two on the wire. Send it as separate frames, "
							+ "or use a length framing for binary data");
		}
	}

	static int indexOf(byte[] data, byte[] pattern) {
		outer: for (int i = 0; i <= data.length - pattern.length; i++) {
			for (int j = 0; j < pattern.length; j++) {
				if (data[i + j] != pattern[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

	@Override
	void write(byte[] payload, OutputStream out) throws IOException {
		out.write(payload);
		out.write(this.delimiter);
	}

}
