package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Frames wrapped in STX and ETX, as many serial devices and their TCP gateways send them.
 *
 * <pre>
 * +-----+---------------------------------+-----+
 * | STX | payload (0..max bytes, no ETX)  | ETX |   STX = 02, ETX = 03
 * +-----+---------------------------------+-----+
 * </pre>
 *
 * A byte other than STX where a frame should start means the stream is out of step: it is
 * reported rather than skipped, and the link is replaced.
 */
final class StxEtxFrameCodec extends FrameCodec {

	static final byte STX = 0x02;

	static final byte ETX = 0x03;

	StxEtxFrameCodec(int maxFrameSize) {
		super(FramingMode.STX_ETX, maxFrameSize);
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		int first = in.read();
		if (first < 0) {
			throw new SoftEndOfStreamException("Stream closed between frames");
		}
		if (first != STX) {
			throw new MalformedFrameException(String.format("Expected STX (0x02) at the start of a frame, got 0x%02X", first));
		}
		byte[] payload = readUntil(in, ETX, maxFrameSize(), 1);
		if (payload == null) {
			throw FrameTooLargeException.withoutEnd(maxFrameSize(), "no ETX");
		}
		return payload;
	}

	@Override
	public void check(byte[] payload) {
		super.check(payload);
		for (byte b : payload) {
			if (b == ETX) {
				throw new FrameRejectedException(FrameRejectedException.Reason.CONTAINS_DELIMITER,
						"The frame contains ETX (0x03), which would end it early on the wire. "
								+ "Use a length framing for binary data");
			}
		}
	}

	@Override
	void write(byte[] payload, OutputStream out) throws IOException {
		out.write(STX);
		out.write(payload);
		out.write(ETX);
	}

}
