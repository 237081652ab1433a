package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Frames per second through a {@link FrameCodec}, for every {@link FramingMode}: reading
 * frames out of a byte stream, as the upstream link does with everything it receives, and
 * writing one, as a frame sent to the upstream is written.
 *
 * <p>The frames are encoded once, in setup, and each invocation of {@link #deserialize}
 * reads all {@value #FRAMES} of them back from memory, through a {@link ReadBuffer} as on the
 * upstream link, where the delimited codecs find a frame's end with one scan. The stream
 * under it takes no lock ({@link java.io.ByteArrayInputStream} takes one on every
 * {@code read()}), so the figure is the codec's, not the stream's. The payload is printable ASCII, which no framing
 * has to refuse, and the codecs allow 64 KB, the default {@code max-frame-size}.
 *
 * <p>Two modes need a word. {@code raw} finds no frames: a read returns what is there, up
 * to the codec's maximum, so its codec is given the frame size as its maximum, and each
 * read returns one frame's bytes, as from a peer whose writes each arrive in one read.
 * {@code length-1} carries at most 255 bytes, so with a frame size of 1024 its frames are
 * 255 bytes long.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FrameCodecBenchmark {

	static final int FRAMES = 1024;

	private static final int MAX_FRAME_SIZE = 64 * 1024;

	@Param
	FramingMode mode;

	@Param({ "64", "1024" })
	int frameSize;

	private FrameCodec codec;

	private byte[] payload;

	private ArrayInput input;

	private ReadBuffer buffered;

	private ArrayOutput output;

	@Setup
	public void encode() throws IOException {
		this.codec = FrameCodec.of(this.mode, (this.mode == FramingMode.RAW) ? this.frameSize : MAX_FRAME_SIZE);
		this.payload = new byte[Math.min(this.frameSize, this.codec.maxFrameSize())];
		for (int i = 0; i < this.payload.length; i++) {
			this.payload[i] = (byte) ('a' + i % 26);
		}
		ArrayOutput encoded = new ArrayOutput(FRAMES * (this.payload.length + 4));
		for (int i = 0; i < FRAMES; i++) {
			this.codec.serialize(this.payload, encoded);
		}
		this.input = new ArrayInput(encoded.toByteArray());
		// read to its end, the buffer refills from the rewound array
		this.buffered = new ReadBuffer(this.input, 64 * 1024);
		this.output = new ArrayOutput(this.payload.length + 4);
		checkRoundTrip();
	}

	/** Every frame comes back as it was written, and then the stream ends between frames. */
	private void checkRoundTrip() throws IOException {
		for (int i = 0; i < FRAMES; i++) {
			if (!Arrays.equals(this.codec.deserialize(this.buffered), this.payload)) {
				throw new IllegalStateException("Frame " + i + " of " + this.codec + " did not come back as written");
			}
		}
		try {
			this.codec.deserialize(this.buffered);
			throw new IllegalStateException(this.codec + " read more than " + FRAMES + " frames");
		}
		catch (SoftEndOfStreamException ex) {
			// as expected
		}
	}

	@Benchmark
	@OperationsPerInvocation(FRAMES)
	public void deserialize(Blackhole blackhole) throws IOException {
		this.input.rewind();
		for (int i = 0; i < FRAMES; i++) {
			blackhole.consume(this.codec.deserialize(this.buffered));
		}
	}

	@Benchmark
	public int serialize() throws IOException {
		this.output.reset();
		this.codec.serialize(this.payload, this.output);
		return this.output.size();
	}

	/** Reads an array, without a lock. */
	static final class ArrayInput extends InputStream {

		private final byte[] bytes;

		private int position;

		ArrayInput(byte[] bytes) {
			this.bytes = bytes;
		}

		void rewind() {
			this.position = 0;
		}

		@Override
		public int read() {
			return (this.position < this.bytes.length) ? this.bytes[this.position++] & 0xFF : -1;
		}

		@Override
		public int read(byte[] into, int offset, int length) {
			if (length == 0) {
				return 0;
			}
			int n = Math.min(length, this.bytes.length - this.position);
			if (n <= 0) {
				return -1;
			}
			System.arraycopy(this.bytes, this.position, into, offset, n);
			this.position += n;
			return n;
		}

		@Override
		public int available() {
			return this.bytes.length - this.position;
		}

	}

	/** Writes into an array that grows as needed and can be reused, without a lock. */
	static final class ArrayOutput extends OutputStream {

		private byte[] bytes;

		private int size;

		ArrayOutput(int capacity) {
			this.bytes = new byte[capacity];
		}

		void reset() {
			this.size = 0;
		}

		int size() {
			return this.size;
		}

		byte[] toByteArray() {
			return Arrays.copyOf(this.bytes, this.size);
		}

		@Override
		public void write(int b) {
			ensureRoom(1);
			this.bytes[this.size++] = (byte) b;
		}

		@Override
		public void write(byte[] from, int offset, int length) {
			ensureRoom(length);
			System.arraycopy(from, offset, this.bytes, this.size, length);
			this.size += length;
		}

		private void ensureRoom(int length) {
			if (this.size + length > this.bytes.length) {
				this.bytes = Arrays.copyOf(this.bytes, Math.max(2 * this.bytes.length, this.size + length));
			}
		}

	}

}
