package io.tcpbridge.framing;

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

	/** No framing: each chunk as one read returns it, like {@code recv(buf, 4096)}. */
	RAW;

	/** The name as written in configuration, e.g. {@code stx-etx}. */
	public String configName() {
		return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
	}

}
