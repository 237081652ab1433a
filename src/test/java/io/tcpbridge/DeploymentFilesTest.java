package io.tcpbridge;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The files users deploy with are valid: {@code docker-compose.yml} as Docker Compose reads
 * it, {@code prometheus/} as Prometheus reads it. No Docker engine is needed for this.
 */
class DeploymentFilesTest {

	@Test
	void theComposeFileIsValid() throws Exception {
		run(List.of("docker-compose", "-f", "docker-compose.yml", "config", "--quiet"), "docker-compose");
	}

	@Test
	void thePrometheusConfigurationAndItsAlertsAreValid() throws Exception {
		String verdict = run(List.of("promtool", "check", "config", "prometheus/prometheus.yml"), "prometheus");
		assertThat(verdict).contains("SUCCESS: 2 rules found");
	}

	private static String run(List<String> command, String debianPackage) throws IOException, InterruptedException {
		if (!new File("/usr/bin/" + command.get(0)).canExecute()) {
			fail("This test needs " + command.get(0) + ": apt-get install " + debianPackage + "; .ci/run installs it");
		}
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
