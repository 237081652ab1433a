package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.function.Consumer;

import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.Serializer;
import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * Cuts a byte stream into frames and writes frames back, for one {@link FramingMode}.
 *
 * <p>Every codec guards both directions with the same maximum frame size. Reading, it
 * tells the three ways a stream can end: between frames ({@code SoftEndOfStreamException},
 * a clean close), in the middle of a frame ({@link TruncatedFrameException}), or on a frame
 * too large to hold ({@link FrameTooLargeException}), unless it knows the frame's length and
 * can read past it ({@link #onSkipped}). Writing, it refuses a frame the peer
 * could not read back as one ({@link FrameRejectedException}). Codecs keep no state between
 * frames, so one instance serves any number of streams.
 */
public abstract sealed class FrameCodec implements Serializer<byte[]>, Deserializer<byte[]>
		permits DelimitedFrameCodec, StxEtxFrameCodec, LengthFieldFrameCodec, ChunkFrameCodec {

	private final FramingMode mode;

	private final int maxFrameSize;

	private volatile Consumer<FrameTooLargeException> skipped = (frame) -> {
	};

	FrameCodec(FramingMode mode, int maxFrameSize) {
		if (maxFrameSize < 1) {
			throw new IllegalArgumentException("maxFrameSize must be positive, was " + maxFrameSize);
		}
		this.mode = mode;
		this.maxFrameSize = maxFrameSize;
	}

	/**
	 * A codec for the mode; {@code length-field} as {@link LengthField#DEFAULT}. Where the
	 * wire format cannot carry {@code maxFrameSize} (a one- or two-byte length field), the
	 * field's own limit applies.
	 */
	public static FrameCodec of(FramingMode mode, int maxFrameSize) {
		return of(mode, maxFrameSize, LengthField.DEFAULT);
	}

	/** A codec for the mode, with {@code lengthField} for {@code length-field}. */
	public static FrameCodec of(FramingMode mode, int maxFrameSize, LengthField lengthField) {
		LengthField preset = mode.lengthField();
		if (preset != null || mode == FramingMode.LENGTH_FIELD) {
			return new LengthFieldFrameCodec(mode, maxFrameSize, (preset != null) ? preset : lengthField);
		}
		return switch (mode) {
			case LF -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) '\n');
			case CRLF -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) '\r', (byte) '\n');
			case NUL -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) 0);
			case STX_ETX -> new StxEtxFrameCodec(maxFrameSize);
			case RAW -> new ChunkFrameCodec(maxFrameSize);
			default -> throw new IllegalStateException("No codec for " + mode);
		};
	}

	/**
	 * Tells {@code listener}, on the reading thread, of each inbound frame over the maximum
	 * that the codec read past to stay in step. Only a codec that knows a frame's length
	 * before its bytes skips it; the others throw {@link FrameTooLargeException}.
	 */
	public void onSkipped(Consumer<FrameTooLargeException> listener) {
		this.skipped = listener;
	}

	void skipped(FrameTooLargeException frame) {
		this.skipped.accept(frame);
	}

	public FramingMode mode() {
		return this.mode;
	}

	/** The largest payload this codec reads or writes, in bytes. */
	public int maxFrameSize() {
		return this.maxFrameSize;
	}

	/**
	 * Reads the next frame's payload.
	 * @throws org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException when
	 * the stream ends cleanly between frames
	 * @throws TruncatedFrameException when the stream ends inside a frame
	 * @throws FrameTooLargeException when a frame exceeds {@link #maxFrameSize()}
	 * @throws MalformedFrameException when the bytes do not follow the wire format
	 */
	@Override
	public abstract byte[] deserialize(InputStream in) throws IOException;

	/**
	 * Writes one frame: the payload with its delimiter or header. The caller flushes.
	 * @throws FrameRejectedException when the payload cannot travel as one frame
	 */
	@Override
	public final void serialize(byte[] payload, OutputStream out) throws IOException {
		check(payload);
		write(payload, out);
	}

	/**
	 * Refuses a payload that could not travel as one frame: larger than the maximum, or
	 * holding the bytes that end a frame.
	 * @throws FrameRejectedException with the reason
	 */
	public void check(byte[] payload) {
		if (payload.length > this.maxFrameSize) {
			throw new FrameRejectedException(FrameRejectedException.Reason.TOO_LARGE, "The frame has "
					+ payload.length + " bytes; the limit is " + this.maxFrameSize + " bytes (bridge.framing.max-frame-size)");
		}
	}

	abstract void write(byte[] payload, OutputStream out) throws IOException;

	/**
	 * Reads the bytes before the next {@code end} byte, and the end byte too, if it comes
	 * within {@code max} bytes. From a {@link ReadBuffer}, as on the upstream link, that is one
	 * scan of the buffered bytes; from any other stream, a read per byte, so that no byte of
	 * the next frame is taken.
	 * @param readBefore bytes of this frame read before, for the count a truncated frame reports
	 * @return the bytes before {@code end}, or {@code null} when more than {@code max} came without it
	 */
	static byte[] readUntil(InputStream in, byte end, int max, int readBefore) throws IOException {
		if (in instanceof ReadBuffer buffer) {
			return buffer.readUntil(end, max, readBefore);
		}
		byte[] frame = new byte[Math.min(max, 256)];
		int n = 0;
		while (true) {
			int b = in.read();
			if (b < 0) {
				endOfStream(readBefore + n);
			}
			if (b == (end & 0xFF)) {
				return Arrays.copyOf(frame, n);
			}
			if (n == max) {
				return null;
			}
			if (n == frame.length) {
				frame = Arrays.copyOf(frame, Math.min(max, frame.length * 2));
			}
			frame[n++] = (byte) b;
		}
	}

	/** The stream ended, after {@code bytesRead} bytes of a frame: between frames when none. */
	static void endOfStream(int bytesRead) throws TruncatedFrameException {
		if (bytesRead == 0) {
			throw new SoftEndOfStreamException("Stream closed between frames");
		}
		throw new TruncatedFrameException(bytesRead);
	}

	@Override
	public String toString() {
		return this.mode.configName() + " (max " + this.maxFrameSize + " bytes)";
	}

}
