package io.tcpbridge.framing;

import java.util.List;

/**
 * Where a frame's length is written in its header, and how to read it: the four numbers of
 * {@code bridge.framing.length-field.*}, and the presets that name well-known protocols.
 *
 * <pre>
 * +-----------------+----------------------+--------------------------------------+
 * | offset bytes    | length field         | value + adjustment bytes             |
 * +-----------------+----------------------+--------------------------------------+
 * |&lt;------------- header ----------------->|
 * |&lt;- strip -->|   dropped from each received frame
 * </pre>
 *
 * Modbus TCP: a transaction id (2 bytes) and a protocol id (2), then the length (2) of what
 * follows it: offset 4, length 2, adjustment 0. TPKT (RFC 1006, Siemens S7): version and a
 * reserved byte, then the length (2) of the whole packet, its 4 header bytes included:
 * offset 2, length 2, adjustment -4.
 *
 * @param offset bytes before the length field
 * @param length the field's size in bytes: 1, 2, 3, 4 or 8, read as unsigned
 * @param adjustment added to the field's value to give the bytes that follow the field
 * @param byteOrder how the field's bytes are ordered
 * @param strip header bytes dropped from each received frame, at most the whole header
 */
public record LengthField(int offset, int length, int adjustment, ByteOrder byteOrder, int strip) {

	private static final String PROPERTY = "bridge.framing.length-field.";

	private static final List<Integer> LENGTHS = List.of(1, 2, 3, 4, 8);

	/** {@code length-1}, {@code length-2}, {@code length-4}: the length of what follows, and the frame is what follows. */
	static LengthField prefix(int length) {
		return new LengthField(0, length, 0, ByteOrder.BIG_ENDIAN, length);
	}

	/** {@code modbus-tcp}: the MBAP header's length at offset 4, counting the unit id and the PDU. */
	static final LengthField MODBUS_TCP = new LengthField(4, 2, 0, ByteOrder.BIG_ENDIAN, 0);

	/** {@code iec-104}: the start byte 0x68, then the length of the APDU that follows, in one byte. */
	static final LengthField IEC_104 = new LengthField(1, 1, 0, ByteOrder.BIG_ENDIAN, 0);

	/** {@code tpkt} (RFC 1006, ISO on TCP, as Siemens S7 speaks it): the whole packet's length at offset 2. */
	static final LengthField TPKT = new LengthField(2, 2, -4, ByteOrder.BIG_ENDIAN, 0);

	/** {@code length-field} with none of its properties set: a 4-byte length first, kept in the frame. */
	public static final LengthField DEFAULT = new LengthField(0, 4, 0, ByteOrder.BIG_ENDIAN, 0);

	public LengthField {
		if (offset < 0) {
			throw new IllegalArgumentException(PROPERTY + "offset must be 0 or more, was " + offset);
		}
		if (!LENGTHS.contains(length)) {
			throw new IllegalArgumentException(PROPERTY + "length must be 1, 2, 3, 4 or 8 bytes, was " + length);
		}
		if (strip < 0 || strip > offset + length) {
			throw new IllegalArgumentException(PROPERTY + "strip must be between 0 and the header's " + (offset + length)
					+ " bytes (offset + length), was " + strip);
		}
	}

	/** The bytes up to the end of the length field. */
	public int header() {
		return this.offset + this.length;
	}

	/** The largest value the field holds, as a signed long: an 8-byte field's top half reads as negative. */
	long largestValue() {
		return (this.length == 8) ? Long.MAX_VALUE : (1L << (8 * this.length)) - 1;
	}

	/** The field's value in {@code frame}, which holds at least the header; negative for an 8-byte value past 2^63. */
	long read(byte[] frame) {
		long value = 0;
		for (int i = 0; i < this.length; i++) {
			int b = frame[this.offset + ((this.byteOrder == ByteOrder.BIG_ENDIAN) ? i : this.length - 1 - i)] & 0xFF;
			value = (value << 8) | b;
		}
		return value;
	}

	/** Writes {@code value} into the field of {@code frame}. */
	void write(long value, byte[] frame) {
		for (int i = 0; i < this.length; i++) {
			int shift = 8 * ((this.byteOrder == ByteOrder.BIG_ENDIAN) ? this.length - 1 - i : i);
			frame[this.offset + i] = (byte) (value >>> shift);
		}
	}

	/** The bytes that follow the field for a field holding {@code value}: negative when none can. */
	long following(long value) {
		return (value < 0) ? -1 : value + this.adjustment;
	}

	/** Which bytes of the header the field is, as a reader of a packet dump counts them. */
	String describe() {
		String bytes = (this.length == 1) ? "byte " + this.offset
				: "bytes " + this.offset + "-" + (this.offset + this.length - 1);
		return "the length field (" + bytes + ((this.adjustment != 0) ? ", adjustment " + this.adjustment : "") + ")";
	}

	/** The order of a length field's bytes. */
	public enum ByteOrder {

		/** Most significant byte first, as networks write numbers. */
		BIG_ENDIAN,

		/** Least significant byte first. */
		LITTLE_ENDIAN

	}

}
