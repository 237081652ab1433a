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
 * it, {@code prometheus/} as Prometheus reads it, {@code haproxy/} as HAProxy reads it. No
 * Docker engine is needed for this.
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

	@Test
	void theComposeFilesClusterProfileIsValid() throws Exception {
		String services = run(List.of("docker-compose", "-f", "docker-compose.yml", "--profile", "cluster", "config",
				"--services"), "docker-compose");
		assertThat(services.lines()).contains("redis", "replica-1", "replica-2", "balancer");
	}

	@Test
	void theBalancerConfigurationIsValid() throws Exception {
		// outside Docker the replicas' names do not resolve: HAProxy says so, and starts without them
		String verdict = run(List.of("haproxy", "-c", "-f", "haproxy/haproxy.cfg"), "haproxy");
		assertThat(verdict).contains("Configuration file is valid");
	}

	private static String run(List<String> command, String debianPackage) throws IOException, InterruptedException {
		if (!new File("/usr/bin/" + command.get(0)).canExecute() && !new File("/usr/sbin/" + command.get(0)).canExecute()) {
			fail("This test needs " + command.get(0) + ": apt-get install " + debianPackage + "; .ci/run installs it");
		}
		List<String> resolved = new java.util.ArrayList<>(command);
		if (!new File("/usr/bin/" + command.get(0)).canExecute()) {
			resolved.set(0, "/usr/sbin/" + command.get(0));
		}
		Process process = new ProcessBuilder(resolved).redirectErrorStream(true).start();
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(output).isZero();
		return output;
	}

}
