package io.tcpbridge.cluster;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class PackedFramesTest {

	@Test
	void framesComeBackAsTheyWereInOrderEmptyAndLargeOnesToo() {
		byte[] large = new byte[70_000];
		large[69_999] = 7;
		List<byte[]> frames = List.of(new byte[] { 1, 2, 3 }, new byte[0], large, new byte[] { (byte) 0xFF });
		byte[] packed = PackedFrames.pack(frames);
		assertThat(packed).hasSize(4 * 4 + 3 + 70_000 + 1);
		assertThat(PackedFrames.unpack(packed)).containsExactlyElementsOf(frames);
	}

	@Test
	void bytesThatAreNotPackedFramesAreRefusedSayingWhere() {
		assertThatIllegalArgumentException().isThrownBy(() -> PackedFrames.unpack(new byte[] { 0, 0, 0, 9, 1, 2 }))
			.withMessage("Packed frame 1 says 9 bytes, and 2 are left");
		assertThatIllegalArgumentException().isThrownBy(() -> PackedFrames.unpack(new byte[] { 0, 0, 0, 1, 5, 0, 0 }))
			.withMessage("Packed frames end inside a length, at byte 5");
	}

}
