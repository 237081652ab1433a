package io.tcpbridge.support;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** {@code promtool check metrics}, as Prometheus's own linter judges an exposition. */
public final class Promtool {

	private static final File PROMTOOL = new File("/usr/bin/promtool");

	private Promtool() {
	}

	/** Fails unless promtool finds nothing to say about {@code exposition}. */
	public static void assertClean(String exposition) throws IOException, InterruptedException {
		if (!PROMTOOL.canExecute()) {
			fail("This test needs promtool (/usr/bin/promtool): apt-get install prometheus; .ci/run installs it");
		}
		Process promtool = new ProcessBuilder(PROMTOOL.getPath(), "check", "metrics").redirectErrorStream(true).start();
		try (OutputStream in = promtool.getOutputStream()) {
			in.write(exposition.getBytes(StandardCharsets.UTF_8));
		}
		assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
		String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(promtool.exitValue()).as(verdict).isZero();
		assertThat(verdict).isBlank();
	}

}
