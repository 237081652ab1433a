package io.tcpbridge;

import java.util.ArrayList;
import java.util.List;

import io.tcpbridge.support.RunningBridge;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * A bad setting stops the bridge at start-up, with a report that names the property (in
 * its configuration form or its Java form, both of which Boot binds).
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationTest {

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"bridge.upstream.port=0|bridge.upstream.port",
			"bridge.upstream.port=70000|bridge.upstream.port",
			"bridge.upstream.host=|bridge.upstream.host",
			"bridge.upstream.connect-timeout=0s|bridge.upstream.connect-timeout",
			"bridge.upstream.reconnect.initial-delay=-1s|bridge.upstream.reconnect.initial-delay",
			"bridge.upstream.reconnect.multiplier=0.5|bridge.upstream.reconnect.multiplier",
			"bridge.upstream.reconnect.jitter=2|bridge.upstream.reconnect.jitter",
			"bridge.upstream.reconnect.max-delay=10ms|bridge.upstream.reconnect.max-delay",
			"bridge.framing.mode=morse|bridge.framing.mode",
			"bridge.framing.max-frame-size=-1|bridge.framing.max-frame-size",
			"bridge.framing.max-frame-size=0|bridge.framing.max-frame-size",
			"bridge.framing.max-frame-size=1GB|bridge.framing.max-frame-size",
			"bridge.demo.port=-5|bridge.demo.port",
			"bridge.upstream.idle-timeout=-1s|bridge.upstream.idle-timeout",
			"bridge.upstream.heartbeat.interval=1s|bridge.upstream.heartbeat.payload",
			"bridge.upstream.on-connect[0]=base64:***|bridge.upstream.on-connect[0]",
			"bridge.upstream.keep-alive.count=0|bridge.upstream.keep-alive.count",
			"bridge.stream.subscriber-queue=0|bridge.stream.subscriber-queue",
			"bridge.stream.stall-timeout=10ms|bridge.stream.stall-timeout",
			"bridge.stream.socket-send-buffer=-1KB|bridge.stream.socket-send-buffer",
			"bridge.stream.slow-consumer=wait|bridge.stream.slow-consumer",
			"bridge.framing.length-field.offset=4|bridge.framing.length-field.offset",
			"bridge.framing.mode=modbus-tcp;bridge.framing.length-field.strip=6|bridge.framing.length-field.strip",
			"bridge.framing.mode=length-field;bridge.framing.length-field.length=5|bridge.framing.length-field.length",
			"bridge.framing.mode=length-field;bridge.framing.length-field.offset=-1|bridge.framing.length-field.offset",
			"bridge.framing.mode=length-field;bridge.framing.length-field.strip=5|bridge.framing.length-field.strip",
			"bridge.framing.mode=length-field;bridge.framing.length-field.length=1;"
					+ "bridge.framing.length-field.adjustment=-300|bridge.framing.length-field.adjustment",
			"bridge.framing.mode=length-field;bridge.framing.length-field.byte-order=middle|bridge.framing.length-field.byte-order",
			"bridge.framing.mode=modbus-tcp;bridge.framing.max-frame-size=4B|bridge.framing.max-frame-size",
			"bridge.reply.correlation=lifo|bridge.reply.correlation",
			"bridge.reply.correlation=key|bridge.reply.key",
			"bridge.reply.key=bytes:0:2|bridge.reply.key",
			"bridge.reply.correlation=key;bridge.reply.key=bytes:x|bridge.reply.key",
			"bridge.reply.correlation=key;bridge.reply.key=regex:id|bridge.reply.key",
			"bridge.reply.frames=0|bridge.reply.frames",
			"bridge.reply.frames=1001|bridge.reply.frames",
			"bridge.reply.until=(|bridge.reply.until",
			"bridge.reply.frames=2;bridge.reply.until=x|bridge.reply.until",
			"bridge.reply.max-in-flight=0|bridge.reply.max-in-flight",
			"bridge.health.readiness=most|bridge.health.readiness",
			// named links: a bad name, today's keys beside them, and a bad value under one link
			"bridge.links.PLC.upstream.port=1|bridge.links.PLC",
			"bridge.links.-plc.upstream.port=1|bridge.links.-plc",
			"bridge.links.a123456789b123456789c123456789d123456789e123456789f123456789g1234.upstream.port=1"
					+ "|bridge.links.a123456789b123456789c123456789d123456789e123456789f123456789g1234",
			"bridge.links.a.upstream.port=1;bridge.upstream.port=2|bridge.upstream.port",
			"bridge.links.a.upstream.port=1;bridge.framing.mode=crlf|bridge.framing.mode",
			"bridge.links.a.upstream.port=1;bridge.reply.correlation=fifo|bridge.reply.correlation",
			"bridge.links.a.upstream.port=0|bridge.links.a.upstream.port",
			"bridge.links.a.upstream.reconnect.max-delay=10ms|bridge.links.a.upstream.reconnect.max-delay",
			"bridge.links.a.upstream.heartbeat.interval=1s|bridge.links.a.upstream.heartbeat.payload",
			"bridge.links.a.upstream.on-connect[0]=base64:***|bridge.links.a.upstream.on-connect[0]",
			"bridge.links.a.framing.mode=morse|bridge.links.a.framing.mode",
			"bridge.links.a.framing.length-field.offset=4|bridge.links.a.framing.length-field.offset",
			"bridge.links.a.framing.max-frame-size=1GB|bridge.links.a.framing.max-frame-size",
			"bridge.links.a.reply.correlation=key|bridge.links.a.reply.key",
			"bridge.links.a.reply.frames=0|bridge.links.a.reply.frames",
			"bridge.links.a.stream.subscriber-queue=0|bridge.links.a.stream.subscriber-queue",
			"bridge.links.a.stream.socket-send-buffer=1KB|bridge.links.a.stream.socket-send-buffer",
			"bridge.links.a.upstream.port=1;bridge.links.b.upstream.port=0|bridge.links.b.upstream.port" })
	void aBadSettingFailsStartUpNamingTheProperty(String settings, String property, CapturedOutput output) {
		List<String> arguments = new ArrayList<>(List.of("bridge.demo.enabled=true", "spring.main.web-application-type=none"));
		// one setting, or several that only fail together, apart by ';'
		arguments.addAll(List.of(settings.split(";")));
		assertThatException().isThrownBy(() -> RunningBridge.start(arguments.toArray(String[]::new)));
		assertThat(output.getAll()).contains("APPLICATION FAILED TO START").containsAnyOf(property, javaName(property));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "bridge.upstream.on-connect[0]=hex:0a|bridge.upstream.on-connect[0]",
			"bridge.upstream.heartbeat.payload=hex:410a42|bridge.upstream.heartbeat.payload",
			"bridge.links.a.upstream.on-connect[0]=hex:0a|bridge.links.a.upstream.on-connect[0]" })
	void aConfiguredFrameThatCannotTravelInTheFramingFailsStartUp(String setting, String property) {
		String group = setting.startsWith("bridge.links.") ? "bridge.links.a.upstream" : "bridge.upstream";
		assertThatException().isThrownBy(() -> RunningBridge.start(group + ".heartbeat.interval=1s",
				group + ".heartbeat.payload=ok", setting, "spring.main.web-application-type=none"))
			.satisfies((ex) -> assertThat(rootCauseMessages(ex)).contains(property).contains("delimiter"));
	}

	private static String rootCauseMessages(Throwable ex) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			messages.append(cause.getMessage()).append('\n');
		}
		return messages.toString();
	}

	/** Boot names a property of a record in its Java form, {@code initialDelay} for {@code initial-delay}. */
	private static String javaName(String property) {
		StringBuilder name = new StringBuilder();
		for (int i = 0; i < property.length(); i++) {
			char c = property.charAt(i);
			name.append(c == '-' ? Character.toUpperCase(property.charAt(++i)) : c);
		}
		return name.toString();
	}

}
