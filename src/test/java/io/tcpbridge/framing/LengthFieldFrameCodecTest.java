package io.tcpbridge.framing;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import io.tcpbridge.framing.LengthField.ByteOrder;
import io.tcpbridge.support.Wire;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static io.tcpbridge.framing.FrameCodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The length-field codec reading from a real socket on 127.0.0.1, as the link does, for
 * every layout the properties allow; the wire bytes are spelled out here in hex, not by the
 * codec under test. Frames also arrive one byte per read, which splits each of them at
 * every byte.
 */
class LengthFieldFrameCodecTest {

	private static final int MAX = 64;

	private ServerSocket server;

	private Socket peer;

	private Socket accepted;

	@BeforeEach
	void connect() throws IOException {
		this.server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
		this.peer = new Socket(InetAddress.getLoopbackAddress(), this.server.getLocalPort());
		this.peer.setTcpNoDelay(true);
		this.accepted = this.server.accept();
	}

	@AfterEach
	void close() throws IOException {
		this.peer.close();
		this.accepted.close();
		this.server.close();
	}

	/** Offsets 0 and 4, every field size, both byte orders: "hi" after a header of fill bytes (0x7E). */
	static Stream<Arguments> layouts() {
		List<Arguments> layouts = new ArrayList<>();
		for (int offset : new int[] { 0, 4 }) {
			for (int length : new int[] { 1, 2, 3, 4, 8 }) {
				for (ByteOrder order : ByteOrder.values()) {
					layouts.add(Arguments.of(offset, length, order));
				}
			}
		}
		return layouts.stream();
	}

	@ParameterizedTest(name = "offset {0}, {1}-byte field, {2}")
	@MethodSource("layouts")
	void readsEveryLayoutWholeAndSplitAtEveryByte(int offset, int length, ByteOrder order) throws IOException {
		FrameCodec codec = codec(new LengthField(offset, length, 0, order, 0));
		byte[] first = frame(offset, field(2, length, order), "hi");
		byte[] second = frame(offset, field(5, length, order), "there");
		send(first);
		assertThat(codec.deserialize(reader(false))).isEqualTo(first);
		for (byte b : second) {
			send(new byte[] { b });
		}
		assertThat(codec.deserialize(reader(true))).isEqualTo(second);
	}

	@Test
	void aNegativeAdjustmentReadsALengthThatCountsTheHeader() throws IOException {
		// TPKT: version 3, reserved, the whole packet's length (7), then 3 bytes
		send(hex("0300 0007 616263"));
		assertThat(codec(FramingMode.TPKT).deserialize(reader(true))).isEqualTo(hex("0300 0007 616263"));
	}

	@Test
	void stripDropsHeaderBytesFromEachReceivedFrame() throws IOException {
		LengthField field = new LengthField(2, 2, 0, ByteOrder.BIG_ENDIAN, 2);
		send(hex("aabb 0003 616263"));
		send(hex("aabb 0000"));
		InputStream in = reader(false);
		FrameCodec codec = codec(field);
		assertThat(codec.deserialize(in)).isEqualTo(hex("0003 616263"));
		assertThat(codec.deserialize(in)).isEqualTo(hex("0000"));
	}

	@Test
	void theLengthPresetsStripTheWholeHeader() throws IOException {
		send(Wire.frame(FramingMode.LENGTH_2, "abc"));
		assertThat(codec(FramingMode.LENGTH_2).deserialize(reader(true))).isEqualTo(bytes("abc"));
	}

	@Test
	void aFrameOverTheMaximumIsReadPastExactlyAndTheNextOneArrives() throws IOException {
		FrameCodec codec = codec(FramingMode.MODBUS_TCP);
		List<FrameTooLargeException> skipped = new ArrayList<>();
		codec.onSkipped(skipped::add);
		// 6 + 59 bytes: one over the maximum of 64, then a frame of 8
		byte[] tooLarge = Wire.concat(hex("0001 0000 003b"), new byte[59]);
		send(Wire.concat(tooLarge, hex("0002 0000 0002 0103")));
		assertThat(codec.deserialize(reader(true))).isEqualTo(hex("0002 0000 0002 0103"));
		assertThat(skipped).singleElement().satisfies((ex) -> {
			assertThat(ex.size()).isEqualTo(65);
			assertThat(ex.limit()).isEqualTo(64);
		});
	}

	@Test
	void aLengthThatAdjustedLeavesLessThanNothingIsOutOfStep() throws IOException {
		// TPKT whose length (2) is shorter than its own header
		send(hex("0300 0002 6162"));
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> codec(FramingMode.TPKT).deserialize(reader(false)))
			.withMessageContaining("bytes 2-3, adjustment -4")
			.withMessageContaining("out of step");
	}

	@Test
	void anEightByteLengthPastTwoToTheSixtyThirdIsOutOfStep() throws IOException {
		send(hex("8000000000000001 61"));
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> codec(new LengthField(0, 8, 0, ByteOrder.BIG_ENDIAN, 8)).deserialize(reader(false)))
			.withMessageContaining("9223372036854775809");
	}

	@Test
	void aCloseInsideTheHeaderIsATruncatedFrame() throws IOException {
		FrameCodec codec = codec(FramingMode.MODBUS_TCP);
		send(hex("0001 0000"));
		this.peer.shutdownOutput();
		assertThatExceptionOfType(TruncatedFrameException.class).isThrownBy(() -> codec.deserialize(reader(false)))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(4));
	}

	@Test
	void aCloseAfterAWholeFrameIsTheCleanEnd() throws IOException {
		FrameCodec codec = codec(FramingMode.IEC_104);
		// IEC 104: start 0x68, the APDU's length, a U-frame of 4 bytes (TESTFR act)
		send(hex("6804 43000000"));
		this.peer.shutdownOutput();
		InputStream in = reader(false);
		assertThat(codec.deserialize(in)).isEqualTo(hex("6804 43000000"));
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@Test
	void withOnlyALengthInTheHeaderTheCodecWritesItAdjustedAndInItsByteOrder() throws IOException {
		FrameCodec codec = codec(new LengthField(0, 3, 1, ByteOrder.LITTLE_ENDIAN, 3));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(bytes("abcd"), out);
		// 4 bytes follow the field, so it holds 4 - 1
		assertThat(out.toByteArray()).isEqualTo(hex("030000 61626364"));
	}

	@Test
	void withMoreThanTheLengthInTheHeaderTheClientSendsTheWholeFrameAsItIs() throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec(FramingMode.MODBUS_TCP).serialize(hex("0001 0000 0006 01 03 0000 0002"), out);
		assertThat(out.toByteArray()).isEqualTo(hex("0001 0000 0006 01 03 0000 0002"));
	}

	@Test
	void aWholeFrameWhoseFieldDoesNotTellItsSizeIsRefusedWithBothNumbers() {
		assertThatExceptionOfType(FrameRejectedException.class)
			.isThrownBy(() -> codec(FramingMode.MODBUS_TCP).check(hex("0001 0000 0009 01 03 0000 0002")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.LENGTH_MISMATCH))
			.withMessageContaining("says 9 bytes follow it, but 6 do");
	}

	@Test
	void aWholeFrameShorterThanItsHeaderIsRefused() {
		assertThatExceptionOfType(FrameRejectedException.class)
			.isThrownBy(() -> codec(FramingMode.MODBUS_TCP).check(hex("0001 00")))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.LENGTH_MISMATCH))
			.withMessageContaining("3 bytes, fewer than the 6 of its header");
	}

	@Test
	void aFrameTheFieldCannotAnnounceIsRefused() {
		FrameCodec codec = FrameCodec.of(FramingMode.LENGTH_FIELD, 1000, new LengthField(0, 1, -10, ByteOrder.BIG_ENDIAN, 1));
		// 255 - 10 bytes at most follow a one-byte field whose value is adjusted by -10
		assertThat(codec.maxFrameSize()).isEqualTo(245);
		codec.check(new byte[245]);
		assertThatExceptionOfType(FrameRejectedException.class).isThrownBy(() -> codec.check(new byte[246]))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.TOO_LARGE));
		// adjusted by +10, a field tells 10 bytes at least: 9 cannot be told
		FrameCodec plusTen = FrameCodec.of(FramingMode.LENGTH_FIELD, 1000, new LengthField(0, 1, 10, ByteOrder.BIG_ENDIAN, 1));
		assertThat(plusTen.maxFrameSize()).isEqualTo(265);
		assertThatExceptionOfType(FrameRejectedException.class).isThrownBy(() -> plusTen.check(new byte[9]))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.LENGTH_MISMATCH))
			.withMessageContaining("it would hold -1");
	}

	@Test
	void layoutsThatCannotWorkAreRefusedNamingTheProperty() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new LengthField(0, 5, 0, ByteOrder.BIG_ENDIAN, 0))
			.withMessageContaining("bridge.framing.length-field.length");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new LengthField(-1, 2, 0, ByteOrder.BIG_ENDIAN, 0))
			.withMessageContaining("bridge.framing.length-field.offset");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> new LengthField(2, 2, 0, ByteOrder.BIG_ENDIAN, 5))
			.withMessageContaining("bridge.framing.length-field.strip");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> FrameCodec.of(FramingMode.LENGTH_FIELD, 1000, new LengthField(0, 1, -300, ByteOrder.BIG_ENDIAN, 1)))
			.withMessageContaining("bridge.framing.length-field.adjustment");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> FrameCodec.of(FramingMode.MODBUS_TCP, 4))
			.withMessageContaining("bridge.framing.max-frame-size");
	}

	private static FrameCodec codec(LengthField field) {
		return FrameCodec.of(FramingMode.LENGTH_FIELD, MAX, field);
	}

	private static FrameCodec codec(FramingMode preset) {
		return FrameCodec.of(preset, MAX);
	}

	private void send(byte[] bytes) throws IOException {
		OutputStream out = this.peer.getOutputStream();
		out.write(bytes);
		out.flush();
	}

	/** The accepted socket as the link reads it; one byte per read when {@code byteByByte}. */
	private InputStream reader(boolean byteByByte) throws IOException {
		InputStream socket = this.accepted.getInputStream();
		return new ReadBuffer(byteByByte ? new OneByteAtATime(socket) : socket, 4096);
	}

	/** A header of {@code offset} fill bytes, the field, then the text. */
	private static byte[] frame(int offset, byte[] field, String text) {
		byte[] fill = new byte[offset];
		java.util.Arrays.fill(fill, (byte) 0x7E);
		return Wire.concat(fill, field, bytes(text));
	}

	/** {@code value} in {@code length} bytes, spelled out for the byte order. */
	private static byte[] field(int value, int length, ByteOrder order) {
		byte[] field = new byte[length];
		field[(order == ByteOrder.BIG_ENDIAN) ? length - 1 : 0] = (byte) value;
		return field;
	}

	private static byte[] hex(String spaced) {
		return HexFormat.of().parseHex(spaced.replace(" ", ""));
	}

	private static final class OneByteAtATime extends FilterInputStream {

		OneByteAtATime(InputStream in) {
			super(in);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			return super.read(b, off, Math.min(len, 1));
		}

	}

}
