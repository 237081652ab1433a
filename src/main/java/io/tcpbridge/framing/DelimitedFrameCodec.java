package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

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

	private static final int INITIAL_BUFFER = 256;

	private final byte[] delimiter;

	DelimitedFrameCodec(FramingMode mode, int maxFrameSize, byte... delimiter) {
		super(mode, maxFrameSize);
		this.delimiter = delimiter.clone();
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		int limit = maxFrameSize() + this.delimiter.length;
		byte[] buffer = new byte[Math.min(limit, INITIAL_BUFFER)];
		int n = 0;
		while (true) {
			int b = in.read();
			if (b < 0) {
				if (n == 0) {
					throw new SoftEndOfStreamException("Stream closed between frames");
				}
				throw new TruncatedFrameException(n);
			}
			if (n == buffer.length) {
				buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
			}
			buffer[n++] = (byte) b;
			if (endsWithDelimiter(buffer, n)) {
				return Arrays.copyOf(buffer, n - this.delimiter.length);
			}
			if (n == limit) {
				throw FrameTooLargeException.withoutEnd(maxFrameSize(),
						"no " + HexFormat.ofDelimiter(" ").withUpperCase().formatHex(this.delimiter) + " delimiter");
			}
		}
	}

	private boolean endsWithDelimiter(byte[] buffer, int n) {
		int start = n - this.delimiter.length;
		if (start < 0) {
			return false;
		}
		for (int i = 0; i < this.delimiter.length; i++) {
			if (buffer[start + i] != this.delimiter[i]) {
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
