package io.tcpbridge.upstream;

import java.time.Duration;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutting the bridge down closes the upstream socket cleanly: the upstream reads an end of
 * stream, not a reset, and the bridge does not reconnect on its way out.
 */
class GracefulShutdownTest {

	@Test
	void shutdownClosesTheSocketCleanly() {
		try (TestUpstream upstream = TestUpstream.onFreePort()) {
			RunningBridge bridge = RunningBridge.connectedTo(upstream);
			TestUpstream.Connection connection = upstream.latest();
			int accepted = upstream.accepted();

			bridge.close();

			await().atMost(Duration.ofSeconds(5)).until(connection::closedByPeer);
			assertThat(connection.resetByPeer()).isFalse();
			assertThat(upstream.accepted()).isEqualTo(accepted);
		}
	}

}
