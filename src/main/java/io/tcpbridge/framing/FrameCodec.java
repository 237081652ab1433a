package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.Serializer;

/**
 * Cuts a byte stream into frames and writes frames back, for one {@link FramingMode}.
 *
 * <p>Every codec guards both directions with the same maximum frame size. Reading, it
 * tells the three ways a stream can end: between frames ({@code SoftEndOfStreamException},
 * a clean close), in the middle of a frame ({@link TruncatedFrameException}), or on a frame
 * too large to hold ({@link FrameTooLargeException}). Writing, it refuses a frame the peer
 * could not read back as one ({@link FrameRejectedException}). Codecs keep no state between
 * frames, so one instance serves any number of streams.
 */
public abstract sealed class FrameCodec implements Serializer<byte[]>, Deserializer<byte[]>
		permits DelimitedFrameCodec, StxEtxFrameCodec, LengthHeaderFrameCodec, ChunkFrameCodec {

	private final FramingMode mode;

	private final int maxFrameSize;

	FrameCodec(FramingMode mode, int maxFrameSize) {
		if (maxFrameSize < 1) {
			throw new IllegalArgumentException("maxFrameSize must be positive, was " + maxFrameSize);
		}
		this.mode = mode;
		this.maxFrameSize = maxFrameSize;
	}

	/**
	 * A codec for the mode. Where the wire format cannot carry {@code maxFrameSize} (a one-
	 * or two-byte length header), the header's own limit applies.
	 */
	public static FrameCodec of(FramingMode mode, int maxFrameSize) {
		return switch (mode) {
			case LF -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) '\n');
			case CRLF -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) '\r', (byte) '\n');
			case NUL -> new DelimitedFrameCodec(mode, maxFrameSize, (byte) 0);
			case STX_ETX -> new StxEtxFrameCodec(maxFrameSize);
			case LENGTH_1 -> new LengthHeaderFrameCodec(mode, maxFrameSize, 1);
			case LENGTH_2 -> new LengthHeaderFrameCodec(mode, maxFrameSize, 2);
			case LENGTH_4 -> new LengthHeaderFrameCodec(mode, maxFrameSize, 4);
			case RAW -> new ChunkFrameCodec(maxFrameSize);
		};
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

	@Override
	public String toString() {
		return this.mode.configName() + " (max " + this.maxFrameSize + " bytes)";
	}

}
