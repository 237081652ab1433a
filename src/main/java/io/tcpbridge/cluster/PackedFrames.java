package io.tcpbridge.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Frames read one after another, packed into one entry of a link's shared stream: each
 * frame's length in 4 bytes, big-endian, then its bytes. One entry for what a leader read
 * between two appends costs Redis one {@code XADD} and a replica one record to read, where
 * an entry per frame cost them one per frame: what bounded the frames a cluster carries.
 */
final class PackedFrames {

	private static final int LENGTH_BYTES = 4;

	private PackedFrames() {
	}

	static byte[] pack(List<byte[]> frames) {
		int size = 0;
		for (byte[] frame : frames) {
			size += LENGTH_BYTES + frame.length;
		}
		byte[] packed = new byte[size];
		int at = 0;
		for (byte[] frame : frames) {
			int length = frame.length;
			packed[at] = (byte) (length >>> 24);
			packed[at + 1] = (byte) (length >>> 16);
			packed[at + 2] = (byte) (length >>> 8);
			packed[at + 3] = (byte) length;
			System.arraycopy(frame, 0, packed, at + LENGTH_BYTES, length);
			at += LENGTH_BYTES + length;
		}
		return packed;
	}

	/**
	 * The frames, in order.
	 * @throws IllegalArgumentException when the bytes are not frames packed by {@link #pack}
	 */
	static List<byte[]> unpack(byte[] packed) {
		List<byte[]> frames = new ArrayList<>();
		int at = 0;
		while (at < packed.length) {
			if (packed.length - at < LENGTH_BYTES) {
				throw new IllegalArgumentException("Packed frames end inside a length, at byte " + at);
			}
			int length = ((packed[at] & 0xFF) << 24) | ((packed[at + 1] & 0xFF) << 16) | ((packed[at + 2] & 0xFF) << 8)
					| (packed[at + 3] & 0xFF);
			at += LENGTH_BYTES;
			if (length < 0 || length > packed.length - at) {
				throw new IllegalArgumentException("Packed frame " + (frames.size() + 1) + " says " + length + " bytes, and "
						+ (packed.length - at) + " are left");
			}
			frames.add(Arrays.copyOfRange(packed, at, at + length));
			at += length;
		}
		return frames;
	}

}
