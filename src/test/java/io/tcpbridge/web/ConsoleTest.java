package io.tcpbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
	void theConsoleListsTheLinksWithTheirChartsAndShowsOneLinksStreamAtATime() throws IOException {
		try (TestUpstream press = TestUpstream.onFreePort();
				TestUpstream scale = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.start("bridge.links.press.upstream.port=" + press.port(),
						"bridge.links.scale.upstream.port=" + scale.port(), "bridge.links.scale.framing.mode=crlf");
				Browser browser = Browser.start()) {
			await().atMost(WAIT).until(() -> bridge.link("press").upstream().isConnected()
					&& bridge.link("scale").upstream().isConnected());
			await().atMost(WAIT).until(() -> press.openConnections() == 1 && scale.openConnections() == 1);
			ChromeDriver page = browser.driver();
			page.get("http://127.0.0.1:" + bridge.port() + "/");

			await().atMost(WAIT).until(() -> linkState(page, "press").equals("CONNECTED")
					&& linkState(page, "scale").equals("CONNECTED"));
			// the first link by name is watched until another is chosen
			await().atMost(WAIT).until(() -> text(page, "link").equals("press"));
			press.latest().write("from the press\n".getBytes(StandardCharsets.UTF_8));
			await().atMost(WAIT).until(() -> rows(page).contains("from the press"));

			page.findElement(By.cssSelector("#links li[data-link=scale]")).click();
			await().atMost(WAIT).until(() -> text(page, "link").equals("scale") && text(page, "state").equals("CONNECTED"));
			scale.latest().write("from the scale\r\n".getBytes(StandardCharsets.UTF_8));
			await().atMost(WAIT).until(() -> rows(page).contains("from the scale"));
			assertThat(rows(page)).doesNotContain("from the press");
			assertThat(page.getCurrentUrl()).endsWith("#link=scale");

			page.findElement(By.id("payload")).sendKeys("tare");
			page.findElement(By.cssSelector("#send button[type=submit]")).click();
			await().atMost(WAIT).until(() -> new String(scale.latest().received(), StandardCharsets.UTF_8).equals("tare\r\n"));
			assertThat(press.latest().received()).isEmpty();

			// a sample a second on each chart; stopping a link marks the change on its chart
			for (int i = 0; i < 5; i++) {
				scale.latest().write(("reading " + i + "\r\n").getBytes(StandardCharsets.UTF_8));
			}
			await().atMost(WAIT).until(() -> chart(page, "scale", "samples") >= 3 && chart(page, "press", "samples") >= 3);
			page.findElement(By.id("stop")).click();
			await().atMost(WAIT).until(() -> linkState(page, "scale").equals("STOPPED") && chart(page, "scale", "marks") >= 1);
			assertThat(linkState(page, "press")).isEqualTo("CONNECTED");
			assertThat(chart(page, "press", "marks")).isZero();
			assertThat(bridge.link("scale").upstream().status().state()).isEqualTo(LinkState.STOPPED);

			Files.createDirectories(Path.of("target"));
			Files.write(Path.of("target", "console-links.png"), page.getScreenshotAs(OutputType.BYTES));
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

	private static String linkState(ChromeDriver page, String link) {
		return page.findElement(By.cssSelector("#links li[data-link=" + link + "] .state")).getText();
	}

	private static long chart(ChromeDriver page, String link, String what) {
		String value = page.findElement(By.cssSelector("#links li[data-link=" + link + "] canvas")).getDomAttribute("data-" + what);
		return (value != null) ? Long.parseLong(value) : 0;
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
