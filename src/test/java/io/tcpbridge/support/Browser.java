package io.tcpbridge.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.fail;

/**
 * A real headless Chromium, driven by Debian's ChromeDriver. Both are named explicitly, so
 * that Selenium never tries to download a browser or a driver; without them, the test fails
 * and says what to install.
 */
public final class Browser implements AutoCloseable {

	private static final File CHROMIUM = new File("/usr/bin/chromium");

	private static final File CHROMEDRIVER = new File("/usr/bin/chromedriver");

	private final ChromeDriver driver;

	private final Path profile;

	private Browser(ChromeDriver driver, Path profile) {
		this.driver = driver;
		this.profile = profile;
	}

	public static Browser start() {
		if (!CHROMIUM.canExecute() || !CHROMEDRIVER.canExecute()) {
			fail("Browser tests need Debian's Chromium and ChromeDriver (/usr/bin/chromium, /usr/bin/chromedriver): "
					+ "apt-get install chromium chromium-driver; .ci/run installs them");
		}
		try {
			Path profile = Files.createTempDirectory("chromium-profile");
			ChromeOptions options = new ChromeOptions();
			options.setBinary(CHROMIUM);
			options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
					"--disable-background-networking", "--disable-component-update", "--disable-sync",
					"--disable-dev-shm-usage", "--user-data-dir=" + profile);
			ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER)
				.usingAnyFreePort()
				.build();
			ChromeDriver driver = new ChromeDriver(service, options);
			driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
			return new Browser(driver, profile);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not create a Chromium profile", ex);
		}
	}

	public ChromeDriver driver() {
		return this.driver;
	}

	/** Runs a script in the page and returns what it returns. */
	public Object script(String script, Object... args) {
		return this.driver.executeScript(script, args);
	}

	@Override
	public void close() {
		this.driver.quit();
		try (var files = Files.walk(this.profile)) {
			files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not remove " + this.profile, ex);
		}
	}

}
