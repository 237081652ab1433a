package io.tcpbridge.upstream;

import java.time.Duration;
import java.util.List;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What an operator reads in the log when the upstream goes away and comes back: one INFO
 * line per change of the link, with its name, the address and the reason, and no stack trace.
 */
@ExtendWith(OutputCaptureExtension.class)
class LinkStateLoggerTest {

	@Test
	void anExpectedDisconnectIsOneLinePerChangeWithoutAStackTrace(CapturedOutput output) {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.upstream.reconnect.initial-delay=300ms",
						"bridge.upstream.reconnect.max-delay=300ms", "bridge.upstream.reconnect.jitter=0")) {
			int from = output.getAll().length();
			upstream.stop();
			await().atMost(Duration.ofSeconds(5)).until(() -> bridge.link().status().reconnectAttempts() >= 1
					&& bridge.link().status().state() == LinkState.DISCONNECTED);
			upstream.start();
			bridge.awaitState(LinkState.CONNECTED);

			String address = "Link default (127.0.0.1:" + upstream.port() + ")";
			List<String> lines = output.getAll().substring(from).lines().filter((line) -> line.contains(address)).toList();
			assertThat(lines).first().asString().contains(" INFO ").contains(address + " disconnected: The upstream closed "
					+ "the connection; next attempt in 300 ms");
			assertThat(lines).anySatisfy((line) -> assertThat(line).contains(address + " connecting"));
			assertThat(lines).anySatisfy((line) -> assertThat(line).contains(address + " disconnected: Connection refused"));
			assertThat(lines).last().asString().contains(address + " connected (lf (max 65536 bytes))");
			assertThat(lines).allSatisfy((line) -> assertThat(line).contains(" INFO "));
			assertThat(output.getAll().substring(from)).doesNotContain("\tat ").doesNotContain(" WARN ")
				.doesNotContain(" ERROR ").doesNotContain("Exception");
		}
	}

}
