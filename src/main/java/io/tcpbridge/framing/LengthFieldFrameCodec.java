package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Frames that carry their length in a header field: {@code length-field} as configured, and
 * the presets {@code length-1}, {@code length-2}, {@code length-4}, {@code modbus-tcp},
 * {@code iec-104} and {@code tpkt} (see {@link LengthField}).
 *
 * <p>Reading, the maximum bounds the frame as it is kept, after {@code strip}: a frame
 * announced larger is skipped, exactly its bytes and no more, so the stream stays in step
 * and the connection lives on; it is {@linkplain #onSkipped told}. A field whose value,
 * adjusted, leaves a negative number of bytes tells no length at all: the stream is out of
 * step ({@link MalformedFrameException}) and the connection is replaced.
 *
 * <p>Writing, where the header is only the length (offset 0), the client sends what follows
 * it and the codec writes the field. Where the header holds more (offset above 0), the
 * client sends the whole frame, and the codec checks that its field tells its size.
 */
final class LengthFieldFrameCodec extends FrameCodec {

	private final LengthField field;

	LengthFieldFrameCodec(FramingMode mode, int maxFrameSize, LengthField field) {
		super(mode, largestKept(maxFrameSize, field));
		this.field = field;
	}

	/** The maximum, or less when the field cannot announce a frame that large (one or two bytes). */
	private static int largestKept(int maxFrameSize, LengthField field) {
		// an 8-byte field tells more than any frame holds
		long following = (field.length() == 8) ? Long.MAX_VALUE / 2 : field.largestValue() + field.adjustment();
		long largest = following + field.header() - field.strip();
		if (following < 0 || largest < 1) {
			throw new IllegalArgumentException("bridge.framing.length-field.adjustment " + field.adjustment()
					+ " leaves no frame that a " + field.length() + "-byte length field can announce");
		}
		if (field.header() - field.strip() > maxFrameSize) {
			throw new IllegalArgumentException("bridge.framing.max-frame-size (" + maxFrameSize
					+ "B) is smaller than the header each frame keeps (" + (field.header() - field.strip()) + " bytes)");
		}
		return (int) Math.min(maxFrameSize, largest);
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		int headerSize = this.field.header();
		while (true) {
			byte[] header = new byte[headerSize];
			int read = readFully(in, header, 0);
			if (read < headerSize) {
				endOfStream(read);
			}
			long following = this.field.following(this.field.read(header));
			if (following < 0) {
				throw new MalformedFrameException("Inbound frame with " + this.field.describe() + " holding "
						+ Long.toUnsignedString(this.field.read(header)) + ", which tells no length: the stream is out of step");
			}
			// an 8-byte field can announce more than a long holds with the header added
			long kept = Math.min(following, Long.MAX_VALUE - headerSize) + headerSize - this.field.strip();
			if (kept > maxFrameSize()) {
				skipped(FrameTooLargeException.announced(kept, maxFrameSize()));
				skip(in, following, headerSize);
				continue;
			}
			byte[] frame = new byte[(int) kept];
			int fromHeader = headerSize - this.field.strip();
			System.arraycopy(header, this.field.strip(), frame, 0, fromHeader);
			int body = readFully(in, frame, fromHeader) - fromHeader;
			if (body < following) {
				throw new TruncatedFrameException(headerSize + body);
			}
			return frame;
		}
	}

	/** Fills {@code into} from {@code from} on, or as much as comes before the stream ends; returns where it ended. */
	private static int readFully(InputStream in, byte[] into, int from) throws IOException {
		int at = from;
		while (at < into.length) {
			int n = in.read(into, at, into.length - at);
			if (n < 0) {
				break;
			}
			at += n;
		}
		return at;
	}

	/** Reads past {@code count} bytes of a frame whose first {@code readBefore} bytes were read. */
	private static void skip(InputStream in, long count, int readBefore) throws IOException {
		long left = count;
		while (left > 0) {
			long skipped = in.skip(left);
			if (skipped <= 0) {
				if (in.read() < 0) {
					throw new TruncatedFrameException((int) Math.min(Integer.MAX_VALUE, readBefore + count - left));
				}
				skipped = 1;
			}
			left -= skipped;
		}
	}

	@Override
	public void check(byte[] payload) {
		super.check(payload);
		if (this.field.offset() == 0) {
			long value = payload.length - (long) this.field.adjustment();
			if (value < 0) {
				throw new FrameRejectedException(FrameRejectedException.Reason.LENGTH_MISMATCH, "A frame of "
						+ payload.length + " bytes cannot be told by " + this.field.describe() + ": it would hold " + value);
			}
			if (value > this.field.largestValue()) {
				throw new FrameRejectedException(FrameRejectedException.Reason.TOO_LARGE, "A frame of " + payload.length
						+ " bytes cannot be told by " + this.field.describe() + " of " + this.field.length() + " bytes");
			}
			return;
		}
		int headerSize = this.field.header();
		if (payload.length < headerSize) {
			throw new FrameRejectedException(FrameRejectedException.Reason.LENGTH_MISMATCH, "The frame has "
					+ payload.length + " bytes, fewer than the " + headerSize + " of its header: in " + mode().configName()
					+ " framing the client sends the whole frame, header included");
		}
		long following = this.field.following(this.field.read(payload));
		if (following != payload.length - headerSize) {
			throw new FrameRejectedException(FrameRejectedException.Reason.LENGTH_MISMATCH,
					"In the frame, " + this.field.describe() + " says " + following + " bytes follow it, but "
							+ (payload.length - headerSize) + " do: the frame has " + payload.length + " bytes in all");
		}
	}

	@Override
	void write(byte[] payload, OutputStream out) throws IOException {
		if (this.field.offset() == 0) {
			byte[] header = new byte[this.field.length()];
			this.field.write(payload.length - (long) this.field.adjustment(), header);
			out.write(header);
		}
		out.write(payload);
	}

}
