package io.tcpbridge.framing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.tcpbridge.support.Wire;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static io.tcpbridge.framing.FrameCodecTest.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The codecs that scan for an end byte read through a {@link ReadBuffer} in bulk on the
 * upstream link. Every buffer size from one byte up puts frame, delimiter and limit on every
 * side of a buffer's edge; the frames must come out as a read per byte gives them.
 */
class ReadBufferTest {

	private static final int MAX = 8;

	static Stream<Arguments> scanningModesAndBufferSizes() {
		return Stream.of(FramingMode.LF, FramingMode.CRLF, FramingMode.NUL, FramingMode.STX_ETX)
			.flatMap((mode) -> Stream.iterate(1, (size) -> size <= 24, (size) -> size + 1)
				.map((size) -> Arguments.of(mode, size)));
	}

	@ParameterizedTest(name = "{0}, {1}-byte buffer")
	@MethodSource("scanningModesAndBufferSizes")
	void readsFramesAcrossBufferEdges(FramingMode mode, int bufferSize) throws IOException {
		byte[] wire = Wire.concat(Wire.frame(mode, bytes("one")), Wire.frame(mode, bytes("")),
				Wire.frame(mode, bytes("12345678")), Wire.frame(mode, bytes("x")), Wire.frame(mode, bytes("1234567")));
		assertThat(readAll(mode, new ReadBuffer(new ByteArrayInputStream(wire), bufferSize)))
			.containsExactly("one", "", "12345678", "x", "1234567");
	}

	@ParameterizedTest(name = "{1}-byte buffer")
	@MethodSource("crlfAndBufferSizes")
	void keepsALoneLineFeedOrCarriageReturnInACrlfFrame(FramingMode mode, int bufferSize) throws IOException {
		byte[] wire = bytes("a\nb\r\n\n\r\n\r\r\n1234567\n\r\n");
		assertThat(readAll(mode, new ReadBuffer(new ByteArrayInputStream(wire), bufferSize)))
			.containsExactly("a\nb", "\n", "\r", "1234567\n");
	}

	static Stream<Arguments> crlfAndBufferSizes() {
		return scanningModesAndBufferSizes().filter((arguments) -> arguments.get()[0] == FramingMode.CRLF);
	}

	@ParameterizedTest(name = "{0}, {1}-byte buffer")
	@MethodSource("scanningModesAndBufferSizes")
	void refusesAFrameOneByteOverTheLimit(FramingMode mode, int bufferSize) throws IOException {
		InputStream in = new ReadBuffer(
				new ByteArrayInputStream(Wire.concat(Wire.frame(mode, bytes("ok")), Wire.frame(mode, bytes("123456789")))),
				bufferSize);
		FrameCodec codec = FrameCodec.of(mode, MAX);
		assertThat(codec.deserialize(in)).isEqualTo(bytes("ok"));
		assertThatExceptionOfType(FrameTooLargeException.class).isThrownBy(() -> codec.deserialize(in));
	}

	@ParameterizedTest(name = "{0}, {1}-byte buffer")
	@MethodSource("scanningModesAndBufferSizes")
	void countsTheBytesOfAFrameCutShort(FramingMode mode, int bufferSize) {
		byte[] whole = Wire.frame(mode, bytes("cut short"));
		InputStream in = new ReadBuffer(new ByteArrayInputStream(Arrays.copyOf(whole, whole.length - 1)), bufferSize);
		assertThatExceptionOfType(TruncatedFrameException.class)
			.isThrownBy(() -> FrameCodec.of(mode, 16).deserialize(in))
			.satisfies((ex) -> assertThat(ex.bytesRead()).isEqualTo(whole.length - 1));
	}

	private static List<String> readAll(FramingMode mode, InputStream in) throws IOException {
		return FrameCodecTest.readAll(FrameCodec.of(mode, MAX), in);
	}

}
