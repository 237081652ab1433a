package io.tcpbridge.framing;

import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How frames are cut from the upstream byte stream and how large they may be.
 *
 * @param mode how frames are delimited on the wire: lf, crlf, nul, stx-etx, length-1,
 * length-2, length-4, length-field, modbus-tcp, iec-104, tpkt or raw
 * @param maxFrameSize the largest frame accepted in either direction, as subscribers get it
 * and clients send it; a larger inbound frame is skipped where its length is known, and
 * resets the link where it is not; a larger outbound one is refused
 * @param lengthField where {@code length-field} finds the length, for that mode only
 */
@Validated
@ConfigurationProperties("bridge.framing")
public record FramingProperties(@DefaultValue("lf") @NotNull FramingMode mode,
		@DefaultValue("64KB") @NotNull DataSize maxFrameSize, @Nullable LengthFieldSettings lengthField) {

	/** The hard ceiling for {@code max-frame-size}: a frame is held in memory whole. */
	public static final DataSize LARGEST_FRAME_SIZE = DataSize.ofMegabytes(16);

	public FramingProperties {
		if (maxFrameSize != null
				&& (maxFrameSize.toBytes() < 1 || maxFrameSize.compareTo(LARGEST_FRAME_SIZE) > 0)) {
			throw new IllegalArgumentException("bridge.framing.max-frame-size must be between 1B and "
					+ LARGEST_FRAME_SIZE.toMegabytes() + "MB, was " + maxFrameSize.toBytes() + "B");
		}
		if (mode != null && mode != FramingMode.LENGTH_FIELD && lengthField != null && !lengthField.set().isEmpty()) {
			throw new IllegalArgumentException("bridge.framing.length-field." + lengthField.set().get(0)
					+ " applies to bridge.framing.mode=length-field only, and the mode is " + mode.configName());
		}
		if (mode != null && maxFrameSize != null) {
			// a layout that cannot work fails here, while binding, naming its property
			FrameCodec.of(mode, (int) maxFrameSize.toBytes(), resolve(lengthField));
		}
	}

	/** The codec for this mode and size. */
	public FrameCodec codec() {
		return FrameCodec.of(this.mode, Math.toIntExact(this.maxFrameSize.toBytes()), resolve(this.lengthField));
	}

	private static LengthField resolve(@Nullable LengthFieldSettings settings) {
		return (settings != null) ? settings.resolve() : LengthField.DEFAULT;
	}

	/**
	 * {@code bridge.framing.length-field.*} as written: what is left out takes the default of
	 * {@link LengthField#DEFAULT}, and what is set is known, so that it is never set in vain.
	 *
	 * @param offset bytes before the length field, default 0
	 * @param length the field's size: 1, 2, 3, 4 or 8 bytes, default 4
	 * @param adjustment added to the field's value to give the bytes that follow the field,
	 * default 0
	 * @param byteOrder big-endian (default) or little-endian
	 * @param strip header bytes dropped from each received frame, default 0: subscribers get
	 * the whole frame
	 */
	public record LengthFieldSettings(@Nullable Integer offset, @Nullable Integer length, @Nullable Integer adjustment,
			LengthField.@Nullable ByteOrder byteOrder, @Nullable Integer strip) {

		LengthField resolve() {
			LengthField defaults = LengthField.DEFAULT;
			return new LengthField((this.offset != null) ? this.offset : defaults.offset(),
					(this.length != null) ? this.length : defaults.length(),
					(this.adjustment != null) ? this.adjustment : defaults.adjustment(),
					(this.byteOrder != null) ? this.byteOrder : defaults.byteOrder(),
					(this.strip != null) ? this.strip : defaults.strip());
		}

		/** The properties that are set, by their names in configuration. */
		List<String> set() {
			List<String> set = new ArrayList<>();
			addIf(set, this.offset, "offset");
			addIf(set, this.length, "length");
			addIf(set, this.adjustment, "adjustment");
			addIf(set, this.byteOrder, "byte-order");
			addIf(set, this.strip, "strip");
			return set;
		}

		private static void addIf(List<String> set, @Nullable Object value, String name) {
			if (value != null) {
				set.add(name);
			}
		}

	}

}
