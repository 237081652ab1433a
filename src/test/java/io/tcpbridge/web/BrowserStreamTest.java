package io.tcpbridge.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.tcpbridge.support.Browser;
import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real browser's {@code EventSource} on {@code /stream}: it sees the link's state and the
 * frames as they arrive.
 */
@BridgeTest
class BrowserStreamTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Test
	void anEventSourceSeesFramesArrive() {
		await().atMost(WAIT).until(() -> this.link.isConnected());
		try (Browser browser = Browser.start()) {
			browser.driver().get("http://127.0.0.1:" + this.port + "/api/connection");
			browser.script("""
					window.seen = { frames: [], states: [] };
					const stream = new EventSource('/stream');
					stream.addEventListener('connection', (e) => window.seen.states.push(JSON.parse(e.data).state));
					stream.addEventListener('frame', (e) => window.seen.frames.push(e.data));
					""");
			await().atMost(WAIT).until(() -> states(browser).contains("CONNECTED"));

			this.upstream.latest().write("hello, browser\nzweite Zeile ✓\n".getBytes(StandardCharsets.UTF_8));

			await().atMost(WAIT).until(() -> frames(browser).size() >= 2);
			assertThat(frames(browser)).containsExactly("hello, browser", "zweite Zeile ✓");
		}
	}

	@SuppressWarnings("unchecked")
	private static List<String> frames(Browser browser) {
		return (List<String>) browser.script("return window.seen.frames;");
	}

	@SuppressWarnings("unchecked")
	private static List<String> states(Browser browser) {
		return (List<String>) browser.script("return window.seen.states;");
	}

}
