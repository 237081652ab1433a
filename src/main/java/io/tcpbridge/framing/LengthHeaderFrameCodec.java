package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Frames preceded by their length, big-endian: {@code length-1}, {@code length-2}, {@code length-4}.
 *
 * <pre>
 * +----------------------+------------------------+
 * | length (1, 2, 4 B)   | payload (length bytes) |   "hi" in length-2: 00 02 68 69
 * +----------------------+------------------------+
 * </pre>
 *
 * The header counts the payload only. A one-byte header carries at most 255 bytes and a
 * two-byte one 65,535, whatever {@code max-frame-size} says; a four-byte length is read as
 * unsigned, and any length over the maximum is refused before a byte of payload is read.
 */
final class LengthHeaderFrameCodec extends FrameCodec {

	private final int headerSize;

	LengthHeaderFrameCodec(FramingMode mode, int maxFrameSize, int headerSize) {
		super(mode, headerSize == 4 ? maxFrameSize : (int) Math.min(maxFrameSize, (1L << (8 * headerSize)) - 1));
		this.headerSize = headerSize;
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		long length = 0;
		for (int i = 0; i < this.headerSize; i++) {
			int b = in.read();
			if (b < 0) {
				if (i == 0) {
					throw new SoftEndOfStreamException("Stream closed between frames");
				}
				throw new TruncatedFrameException(i);
			}
			length = (length << 8) | b;
		}
		if (length > maxFrameSize()) {
			throw FrameTooLargeException.announced(length, maxFrameSize());
		}
		byte[] payload = in.readNBytes((int) length);
		if (payload.length < length) {
			throw new TruncatedFrameException(this.headerSize + payload.length);
		}
		return payload;
	}

	@Override
	void write(byte[] payload, OutputStream out) throws IOException {
		for (int shift = 8 * (this.headerSize - 1); shift >= 0; shift -= 8) {
			out.write(payload.length >>> shift);
		}
		out.write(payload);
	}

}
