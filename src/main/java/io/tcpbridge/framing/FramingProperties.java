package io.tcpbridge.framing;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How frames are cut from the upstream byte stream and how large they may be.
 *
 * @param mode how frames are delimited on the wire: lf, crlf, nul, stx-etx, length-1,
 * length-2, length-4 or raw
 * @param maxFrameSize the largest frame payload accepted in either direction; a larger
 * inbound frame resets the link, a larger outbound one is refused
 */
@Validated
@ConfigurationProperties("bridge.framing")
public record FramingProperties(@DefaultValue("lf") @NotNull FramingMode mode,
		@DefaultValue("64KB") @NotNull DataSize maxFrameSize) {

	/** The hard ceiling for {@code max-frame-size}: a frame is held in memory whole. */
	public static final DataSize LARGEST_FRAME_SIZE = DataSize.ofMegabytes(16);

	public FramingProperties {
		if (maxFrameSize != null
				&& (maxFrameSize.toBytes() < 1 || maxFrameSize.compareTo(LARGEST_FRAME_SIZE) > 0)) {
			throw new IllegalArgumentException("bridge.framing.max-frame-size must be between 1B and "
					+ LARGEST_FRAME_SIZE.toMegabytes() + "MB, was " + maxFrameSize.toBytes() + "B");
		}
	}

	/** The codec for this mode and size. */
	public FrameCodec codec() {
		return FrameCodec.of(this.mode, Math.toIntExact(this.maxFrameSize.toBytes()));
	}

}
