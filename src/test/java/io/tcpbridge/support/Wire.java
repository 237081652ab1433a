package io.tcpbridge.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import io.tcpbridge.framing.FramingMode;

/**
 * Frames as they look on the wire, spelled out by hand so that tests do not trust the codec
 * they check.
 */
public final class Wire {

	private Wire() {
	}

	public static byte[] frame(FramingMode mode, String payload) {
		return frame(mode, payload.getBytes(StandardCharsets.UTF_8));
	}

	public static byte[] frame(FramingMode mode, byte[] payload) {
		int n = payload.length;
		return switch (mode) {
			case LF -> concat(payload, new byte[] { '\n' });
			case CRLF -> concat(payload, new byte[] { '\r', '\n' });
			case NUL -> concat(payload, new byte[] { 0 });
			case STX_ETX -> concat(new byte[] { 2 }, payload, new byte[] { 3 });
			case LENGTH_1 -> concat(new byte[] { (byte) n }, payload);
			case LENGTH_2 -> concat(new byte[] { (byte) (n >> 8), (byte) n }, payload);
			case LENGTH_4 -> concat(new byte[] { (byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n }, payload);
			case LENGTH_FIELD -> concat(new byte[] { (byte) (n >> 24), (byte) (n >> 16), (byte) (n >> 8), (byte) n },
					payload);
			case RAW -> payload.clone();
			// whole frames, header included: a test spells out its own
			case MODBUS_TCP, IEC_104, TPKT -> throw new IllegalArgumentException(mode + " frames are written whole");
		};
	}

	public static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

}
