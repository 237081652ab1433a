package io.tcpbridge.framing;

import org.jspecify.annotations.Nullable;

/**
 * How the bytes on the upstream connection are cut into frames, as set by {@code bridge.framing.mode}.
 */
public enum FramingMode {

	/** Each frame ends with a line feed ({@code \n}). */
	LF,

	/** Each frame ends with a carriage return and a line feed ({@code \r\n}). */
	CRLF,

	/** Each frame ends with a NUL byte ({@code 0x00}). */
	NUL,

	/** Each frame starts with STX ({@code 0x02}) and ends with ETX ({@code 0x03}). */
	STX_ETX,

	/** Each frame is preceded by its length in one unsigned byte. */
	LENGTH_1,

	/** Each frame is preceded by its length in two bytes, big-endian, unsigned. */
	LENGTH_2,

	/** Each frame is preceded by its length in four bytes, big-endian. */
	LENGTH_4,

	/** Each frame carries its length in a header field, as {@code bridge.framing.length-field.*} places it. */
	LENGTH_FIELD,

	/** Modbus TCP: the MBAP header's length field at offset 4; frames whole, header included. */
	MODBUS_TCP,

	/** IEC 60870-5-104: a start byte, then the length of the APDU in one byte; frames whole. */
	IEC_104,

	/** TPKT (RFC 1006, ISO on TCP, Siemens S7): the packet's whole length at offset 2; frames whole. */
	TPKT,

	/** No framing: each chunk as one read returns it, like {@code recv(buf, 4096)}. */
	RAW;

	/**
	 * Where a preset of the length-field codec has its length field; {@code null} for
	 * {@code length-field} itself, configured apart, and for the modes that are not length fields.
	 */
	public @Nullable LengthField lengthField() {
		return switch (this) {
			case LENGTH_1 -> LengthField.prefix(1);
			case LENGTH_2 -> LengthField.prefix(2);
			case LENGTH_4 -> LengthField.prefix(4);
			case MODBUS_TCP -> LengthField.MODBUS_TCP;
			case IEC_104 -> LengthField.IEC_104;
			case TPKT -> LengthField.TPKT;
			default -> null;
		};
	}

	/** The name as written in configuration, e.g. {@code stx-etx}. */
	public String configName() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
