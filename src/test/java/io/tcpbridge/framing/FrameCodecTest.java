package io.tcpbridge.framing;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tcpbridge.support.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.params.provider.EnumSource.Mode.EXCLUDE;

/**
 * Every framing mode that carries a payload as the client sent it, without sockets: the
 * wire bytes are spelled out here, independently of the codec under test. The modes that
 * keep the header ({@code length-field}, {@code modbus-tcp}, {@code iec-104}, {@code tpkt})
 * are in {@link LengthFieldFrameCodecTest}.
 */
class FrameCodecTest {

	private static final int MAX = 16;

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void writesTheWireFormat(FramingMode mode) throws IOException {
		byte[] payload = bytes("hi");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		FrameCodec.of(mode, MAX).serialize(payload, out);
		assertThat(out.toByteArray()).isEqualTo(wire(mode, payload));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "RAW", "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void readsSeveralFramesFromOneRead(FramingMode mode) throws IOException {
		InputStream in = new ByteArrayInputStream(concat(wire(mode, bytes("one")), wire(mode, bytes("two")),
				wire(mode, bytes("three"))));
		FrameCodec codec = FrameCodec.of(mode, MAX);
		assertThat(readAll(codec, in)).containsExactly("one", "two", "three");
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "RAW", "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void readsAFrameSplitAcrossReads(FramingMode mode) throws IOException {
		InputStream in = new OneByteAtATimeInputStream(concat(wire(mode, bytes("split")), wire(mode, bytes("up"))));
		assertThat(readAll(FrameCodec.of(mode, MAX), in)).containsExactly("split", "up");
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "RAW", "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void readsEmptyFrames(FramingMode mode) throws IOException {
		InputStream in = new ByteArrayInputStream(concat(wire(mode, new byte[0]), wire(mode, bytes("x")),
				wire(mode, new byte[0])));
		assertThat(readAll(FrameCodec.of(mode, MAX), in)).containsExactly("", "x", "");
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "RAW", "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void acceptsAFrameOfExactlyTheMaximumSize(FramingMode mode) throws IOException {
		byte[] largest = filled(MAX);
		FrameCodec codec = FrameCodec.of(mode, MAX);
		assertThat(codec.deserialize(new ByteArrayInputStream(wire(mode, largest)))).isEqualTo(largest);
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		codec.serialize(largest, out);
		assertThat(out.toByteArray()).isEqualTo(wire(mode, largest));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LF", "CRLF", "NUL", "STX_ETX" })
	void refusesToReadAFrameOneByteOverTheMaximum(FramingMode mode) {
		InputStream in = new ByteArrayInputStream(wire(mode, filled(MAX + 1)));
		assertThatExceptionOfType(FrameTooLargeException.class)
			.isThrownBy(() -> FrameCodec.of(mode, MAX).deserialize(in))
			.satisfies((ex) -> assertThat(ex.size()).isEqualTo(MAX + 1))
			.satisfies((ex) -> assertThat(ex.limit()).isEqualTo(MAX))
			.withMessageContaining("bridge.framing.max-frame-size");
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void refusesToWriteAFrameOneByteOverTheMaximum(FramingMode mode) {
		assertThatExceptionOfType(FrameRejectedException.class)
			.isThrownBy(() -> FrameCodec.of(mode, MAX).serialize(filled(MAX + 1), new ByteArrayOutputStream()))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.TOO_LARGE));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void tellsACloseBetweenFramesAsTheCleanEndOfTheStream(FramingMode mode) throws IOException {
		FrameCodec codec = FrameCodec.of(mode, MAX);
		InputStream in = new ByteArrayInputStream(wire(mode, bytes("last")));
		assertThat(codec.deserialize(in)).isEqualTo(bytes("last"));
		assertThatExceptionOfType(SoftEndOfStreamException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "RAW", "LENGTH_FIELD", "MODBUS_TCP", "IEC_104", "TPKT" }, mode = EXCLUDE)
	void tellsACloseInTheMiddleOfAFrameAsATruncatedFrame(FramingMode mode) {
		byte[] whole = wire(mode, bytes("cut short"));
		InputStream in = new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 2));
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> FrameCodec.of(mode, MAX).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(whole.length - 2));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_2", "LENGTH_4" })
	void tellsACloseInsideTheLengthHeaderAsATruncatedFrame(FramingMode mode) {
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> FrameCodec.of(mode, MAX).deserialize(new ByteArrayInputStream(new byte[] { 0 })))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(1));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LF", "CRLF", "NUL", "STX_ETX" })
	void refusesToWriteAFrameHoldingItsOwnDelimiter(FramingMode mode) {
		byte[] delimiter = switch (mode) {
			case LF -> bytes("\n");
			case CRLF -> bytes("\r\n");
			case NUL -> new byte[] { 0 };
			default -> new byte[] { 3 };
		};
		assertThatExceptionOfType(FrameRejectedException.class)
			.isThrownBy(() -> FrameCodec.of(mode, MAX).check(concat(bytes("a"), delimiter, bytes("b"))))
			.satisfies((ex) -> assertThat(ex.reason()).isEqualTo(FrameRejectedException.Reason.CONTAINS_DELIMITER));
	}

	@Test
	void crlfCarriesALoneCarriageReturnOrLineFeedInsideAFrame() throws IOException {
		FrameCodec codec = FrameCodec.of(FramingMode.CRLF, MAX);
		codec.check(bytes("a\rb\nc"));
		InputStream in = new ByteArrayInputStream(bytes("a\rb\nc\r\r\n"));
		assertThat(codec.deserialize(in)).isEqualTo(bytes("a\rb\nc\r"));
	}

	@Test
	void lengthOneCannotCarryMoreThan255BytesWhateverTheMaximum() {
		FrameCodec codec = FrameCodec.of(FramingMode.LENGTH_1, 1000);
		assertThat(codec.maxFrameSize()).isEqualTo(255);
		codec.check(filled(255));
		assertThatExceptionOfType(FrameRejectedException.class).isThrownBy(() -> codec.check(filled(256)));
	}

	@ParameterizedTest
	@EnumSource(value = FramingMode.class, names = { "LENGTH_1", "LENGTH_2", "LENGTH_4" })
	void skipsAFrameOneByteOverTheMaximumAndReadsTheNext(FramingMode mode) throws IOException {
		FrameCodec codec = FrameCodec.of(mode, MAX);
		List<FrameTooLargeException> skipped = new ArrayList<>();
		codec.onSkipped(skipped::add);
		InputStream in = new OneByteAtATimeInputStream(concat(wire(mode, filled(MAX + 1)), wire(mode, bytes("next"))));
		assertThat(readAll(codec, in)).containsExactly("next");
		assertThat(skipped).singleElement()
			.satisfies((ex) -> assertThat(ex.size()).isEqualTo(MAX + 1))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("bridge.framing.max-frame-size"));
	}

	@Test
	void lengthFourTellsAHugeAnnouncedLengthBeforeReadingPastIt() {
		FrameCodec codec = FrameCodec.of(FramingMode.LENGTH_4, MAX);
		List<Long> told = new ArrayList<>();
		InputStream in = new ByteArrayInputStream(new byte[] { (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 'x' });
		codec.onSkipped((ex) -> told.add(ex.size()));
		// the stream ends inside the frame being read past
		assertThatExceptionOfType(TruncatedFrameException.class).isThrownBy(() -> codec.deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(5));
		assertThat(told).containsExactly(0xFFFFFFFFL);
	}

	@Test
	void stxEtxRefusesBytesOutsideAFrame() {
		InputStream in = new ByteArrayInputStream(bytes("junk\u0002x\u0003"));
		assertThatExceptionOfType(MalformedFrameException.class)
			.isThrownBy(() -> FrameCodec.of(FramingMode.STX_ETX, MAX).deserialize(in))
			.withMessageContaining("0x6A");
	}

	@Test
	void rawReturnsEachReadAsAFrame() throws IOException {
		FrameCodec codec = FrameCodec.of(FramingMode.RAW, MAX);
		assertThat(readAll(codec, new ByteArrayInputStream(bytes("abc")))).containsExactly("abc");
		assertThat(readAll(codec, new OneByteAtATimeInputStream(bytes("abc")))).containsExactly("a", "b", "c");
	}

	@Test
	void rawCutsChunksAtTheMaximumFrameSize() throws IOException {
		FrameCodec codec = FrameCodec.of(FramingMode.RAW, 4);
		assertThat(readAll(codec, new ByteArrayInputStream(bytes("abcdefghij")))).containsExactly("abcd", "efgh", "ij");
	}

	@Test
	void aMaximumFrameSizeBelowOneIsRefused() {
		assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> FrameCodec.of(FramingMode.LF, 0));
	}

	private static byte[] wire(FramingMode mode, byte[] payload) {
		return Wire.frame(mode, payload);
	}

	static List<String> readAll(FrameCodec codec, InputStream in) throws IOException {
		List<String> frames = new ArrayList<>();
		while (true) {
			try {
				frames.add(new String(codec.deserialize(in), StandardCharsets.UTF_8));
			}
			catch (SoftEndOfStreamException ex) {
				return frames;
			}
		}
	}

	static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] filled(int size) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) 'x');
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		return Wire.concat(parts);
	}

	/** Hands out one byte per read, as a slow network can. */
	private static final class OneByteAtATimeInputStream extends ByteArrayInputStream {

		OneByteAtATimeInputStream(byte[] bytes) {
			super(bytes);
		}

		@Override
		public synchronized int read(byte[] b, int off, int len) {
			return super.read(b, off, Math.min(len, 1));
		}

	}

}
