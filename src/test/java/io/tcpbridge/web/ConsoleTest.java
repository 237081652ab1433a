package io.tcpbridge.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.tcpbridge.support.Browser;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.context.Lifecycle;
import org.springframework.test.util.TestSocketUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The console at {@code /} in headless Chromium, against the demo upstream: ticks appear,
 * a frame sent from the box comes back as the echo, and the state follows the upstream.
 */
class ConsoleTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void theConsoleShowsFramesSendsAndFollowsTheLink() throws IOException {
		int demoPort = TestSocketUtils.findAvailableTcpPort();
		try (RunningBridge bridge = RunningBridge.start("bridge.demo.enabled=true", "bridge.demo.port=" + demoPort,
				"bridge.upstream.port=" + demoPort, "bridge.demo.tick-interval=200ms");
				Browser browser = Browser.start()) {
			bridge.awaitState(LinkState.CONNECTED);
			ChromeDriver page = browser.driver();
			page.get("http://127.0.0.1:" + bridge.port() + "/");

			await().atMost(WAIT).until(() -> text(page, "state").equals("CONNECTED"));
			await().atMost(WAIT).until(() -> rows(page).contains("tick "));

			page.findElement(By.id("payload")).sendKeys("hello from the console");
			page.findElement(By.cssSelector("#send button[type=submit]")).click();
			await().atMost(WAIT).until(() -> text(page, "send-result").equals("sent 22 bytes"));
			await().atMost(WAIT).until(() -> rows(page).contains("hello from the console"));

			page.findElement(By.cssSelector("input[name=view][value=hex]")).click();
			// every row, old and new, in hex
			await().atMost(WAIT).until(() -> rows(page).contains("74 69 63 6b") && !rows(page).contains("tick "));

			Files.createDirectories(Path.of("target"));
			Files.write(Path.of("target", "console.png"), page.getScreenshotAs(OutputType.BYTES));

			bridge.context().getBean("demoUpstream", Lifecycle.class).stop();
			await().atMost(WAIT).until(() -> !text(page, "state").equals("CONNECTED"));
			await().atMost(WAIT).until(() -> !text(page, "error").isEmpty());

			page.findElement(By.id("stop")).click();
			await().atMost(WAIT).until(() -> text(page, "state").equals("STOPPED"));
		}
	}

	@Test
	void theConsoleKeepsUpWithTenThousandFramesPerSecond() {
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream);
				Browser browser = Browser.start()) {
			ChromeDriver page = browser.driver();
			page.get("http://127.0.0.1:" + bridge.port() + "/");
			await().atMost(WAIT).until(() -> text(page, "state").equals("CONNECTED"));
			browser.script("""
					window.paints = 0;
					window.longestPause = 0;
					let last = performance.now();
					(function count(now) {
						window.paints++;
						window.longestPause = Math.max(window.longestPause, now - last);
						last = now;
						requestAnimationFrame(count);
					})(last);
					""");

			// 20 bursts of 1,000 frames, one every 100 ms: 10,000 frames/s for 2 s
			ScheduledExecutorService blaster = Executors.newSingleThreadScheduledExecutor();
			AtomicInteger bursts = new AtomicInteger();
			try {
				blaster.scheduleAtFixedRate(() -> {
					int burst = bursts.getAndIncrement();
					if (burst < 20) {
						upstream.latest().write(IntStream.range(burst * 1000, burst * 1000 + 1000)
							.mapToObj((n) -> "frame " + n + "\n").collect(Collectors.joining()).getBytes());
					}
				}, 0, 100, TimeUnit.MILLISECONDS);
				await().atMost(WAIT).until(() -> bursts.get() >= 20);
			}
			finally {
				blaster.shutdownNow();
			}

			// the page drew the newest frame, never stopped drawing for long, and kept its list short;
			// the bounds are generous, as the browser shares two cores with the bridge and the test
			await().atMost(WAIT).until(() -> "frame 19999"
				.equals(browser.script("return document.querySelector('#frames li .data').textContent;")));
			assertThat(((Number) browser.script("return window.paints;")).longValue()).isGreaterThan(5);
			assertThat(((Number) browser.script("return window.longestPause;")).doubleValue()).isLessThan(1500);
			assertThat(browser.script("return document.querySelectorAll('#frames li').length;")).isEqualTo(500L);
		}
	}

	private static String text(ChromeDriver page, String id) {
		return page.findElement(By.id(id)).getText();
	}

	/** Every row's text, read in one script: rows come and go while the page draws. */
	private static String rows(ChromeDriver page) {
		return (String) page.executeScript(
				"return Array.from(document.querySelectorAll('#frames li')).map((li) => li.textContent).join('\\n');");
	}

}
