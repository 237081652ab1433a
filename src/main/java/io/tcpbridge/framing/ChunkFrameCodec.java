package io.tcpbridge.framing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

import org.springframework.integration.ip.tcp.serializer.SoftEndOfStreamException;

/**
 * No framing: each read returns what the socket has, up to {@value #CHUNK_SIZE} bytes, as one
 * frame, like {@code recv(buf, 4096)}; each written frame goes out as its bytes.
 *
 * <pre>
 * +--------------------------------------+
 * | bytes as they arrive (1..4096 bytes) |   no delimiter, no header
 * +--------------------------------------+
 * </pre>
 *
 * Where one message starts and ends is the reader's business: the peer's writes may be
 * split or merged on the way. Spring's raw deserializers end a frame only when the peer
 * closes, which never happens on a persistent link.
 */
final class ChunkFrameCodec extends FrameCodec {

	static final int CHUNK_SIZE = 4096;

	ChunkFrameCodec(int maxFrameSize) {
		super(FramingMode.RAW, maxFrameSize);
	}

	@Override
	public byte[] deserialize(InputStream in) throws IOException {
		byte[] chunk = new byte[Math.min(CHUNK_SIZE, maxFrameSize())];
		int n = in.read(chunk);
		if (n < 0) {
			throw new SoftEndOfStreamException("Stream closed");
		}
		return Arrays.copyOf(chunk, n);
	}

	@Override
	void write(byte[] payload, OutputStream out) throws IOException {
		out.write(payload);
	}

}
