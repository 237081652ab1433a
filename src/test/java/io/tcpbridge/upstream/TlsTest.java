package io.tcpbridge.upstream;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

import io.tcpbridge.support.RunningBridge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS to an upstream whose certificate is made for this test: a trusted certificate for
 * 127.0.0.1 connects and frames flow; one from elsewhere, or for another host, is refused,
 * and the refusal is the link's last error.
 */
class TlsTest {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@TempDir
	Path dir;

	@Test
	void aTrustedCertificateConnectsAndFramesFlow() throws Exception {
		Path server = keyStore("server", "ip:127.0.0.1");
		try (TlsEchoUpstream upstream = new TlsEchoUpstream(server);
				RunningBridge bridge = RunningBridge.start(tls(upstream.port(), certificate("server", server)))) {
			bridge.awaitState(LinkState.CONNECTED);
			bridge.http().post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("over tls").exchange()
				.expectStatus().isOk();
			await().atMost(WAIT).until(() -> bridge.received().size() == 1);
			assertThat(new String(bridge.received().get(0), StandardCharsets.UTF_8)).isEqualTo("over tls");
		}
	}

	@Test
	void aCertificateFromElsewhereIsRefusedAndShownAsTheLastError() throws Exception {
		Path server = keyStore("server", "ip:127.0.0.1");
		Path stranger = keyStore("stranger", "ip:127.0.0.1");
		try (TlsEchoUpstream upstream = new TlsEchoUpstream(stranger);
				RunningBridge bridge = RunningBridge.start(tls(upstream.port(), certificate("server", server)))) {
			await().atMost(WAIT).until(() -> bridge.link().status().lastError() != null);
			assertThat(bridge.link().status().state()).isNotEqualTo(LinkState.CONNECTED);
			assertThat(bridge.link().status().lastError().message()).containsIgnoringCase("certification path");
		}
	}

	@Test
	void aCertificateForAnotherHostIsRefusedUnlessHostnameVerificationIsOff() throws Exception {
		Path other = keyStore("other", "dns:elsewhere.example");
		try (TlsEchoUpstream upstream = new TlsEchoUpstream(other)) {
			try (RunningBridge bridge = RunningBridge.start(tls(upstream.port(), certificate("other", other)))) {
				await().atMost(WAIT).until(() -> bridge.link().status().lastError() != null);
				assertThat(bridge.link().status().lastError().message()).containsIgnoringCase("subject alternative");
			}
			String[] verified = tls(upstream.port(), certificate("other", other));
			String[] unverified = Arrays.copyOf(verified, verified.length + 1);
			unverified[verified.length] = "bridge.upstream.tls.verify-hostname=false";
			try (RunningBridge bridge = RunningBridge.start(unverified)) {
				bridge.awaitState(LinkState.CONNECTED);
			}
		}
	}

	@Test
	void mutualTlsPresentsTheBridgesOwnCertificate() throws Exception {
		Path server = keyStore("server", "ip:127.0.0.1");
		Path client = keyStore("bridge", "dns:bridge.example");
		Path bridgeTrusts = trustStore("bridge-trusts", "server", certificate("server", server));
		try (TlsEchoUpstream upstream = new TlsEchoUpstream(server, certificate("bridge", client))) {
			try (RunningBridge bridge = RunningBridge.start("bridge.upstream.port=" + upstream.port(),
					"bridge.upstream.tls.enabled=true", "bridge.upstream.tls.bundle=mutual",
					"spring.ssl.bundle.jks.mutual.keystore.location=file:" + client,
					"spring.ssl.bundle.jks.mutual.keystore.type=PKCS12", "spring.ssl.bundle.jks.mutual.keystore.password=secret",
					"spring.ssl.bundle.jks.mutual.truststore.location=file:" + bridgeTrusts,
					"spring.ssl.bundle.jks.mutual.truststore.type=PKCS12",
					"spring.ssl.bundle.jks.mutual.truststore.password=secret")) {
				bridge.awaitState(LinkState.CONNECTED);
			}
			// without a certificate of its own, the upstream refuses the bridge
			try (RunningBridge bridge = RunningBridge.start(tls(upstream.port(), certificate("server", server)))) {
				await().atMost(WAIT).until(() -> bridge.link().status().lastError() != null);
				assertThat(bridge.link().status().state()).isNotEqualTo(LinkState.CONNECTED);
			}
		}
	}

	private String[] tls(int port, Path trustedCertificate) {
		return new String[] { "bridge.upstream.port=" + port, "bridge.upstream.tls.enabled=true",
				"bridge.upstream.tls.bundle=upstream",
				"spring.ssl.bundle.pem.upstream.truststore.certificate=file:" + trustedCertificate };
	}

	/** A PKCS#12 key store with a new self-signed certificate for the given subject alternative name. */
	private Path keyStore(String name, String san) throws Exception {
		Path store = this.dir.resolve(name + ".p12");
		keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
				"-ext", "SAN=" + san, "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
				"-storepass", "secret", "-keypass", "secret");
		return store;
	}

	/** A PKCS#12 trust store holding one certificate. */
	private Path trustStore(String name, String alias, Path certificate) throws Exception {
		Path store = this.dir.resolve(name + ".p12");
		keytool("-importcert", "-noprompt", "-alias", alias, "-file", certificate.toString(), "-keystore",
				store.toString(), "-storetype", "PKCS12", "-storepass", "secret");
		return store;
	}

	/** The certificate of the key store, in PEM. */
	private Path certificate(String name, Path store) throws Exception {
		Path pem = this.dir.resolve(name + ".pem");
		keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storetype", "PKCS12",
				"-storepass", "secret", "-file", pem.toString());
		return pem;
	}

	private static void keytool(String... arguments) throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
		command.addAll(List.of(arguments));
		Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
		assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
		String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(keytool.exitValue()).as(output).isZero();
	}

	/** A TLS server on 127.0.0.1 that echoes what each client sends. */
	private static final class TlsEchoUpstream implements AutoCloseable {

		private final SSLServerSocket server;

		TlsEchoUpstream(Path keyStore) throws Exception {
			this(keyStore, null);
		}

		/** With a client certificate, only a client that presents it is let in (mutual TLS). */
		TlsEchoUpstream(Path keyStore, Path clientCertificate) throws Exception {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			try (InputStream in = new FileInputStream(keyStore.toFile())) {
				keys.load(in, "secret".toCharArray());
			}
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, "secret".toCharArray());
			TrustManager[] trust = null;
			if (clientCertificate != null) {
				KeyStore clients = KeyStore.getInstance("PKCS12");
				clients.load(null, null);
				try (InputStream in = new FileInputStream(clientCertificate.toFile())) {
					clients.setCertificateEntry("client", CertificateFactory.getInstance("X.509").generateCertificate(in));
				}
				TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
				trustManagers.init(clients);
				trust = trustManagers.getTrustManagers();
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trust, null);
			this.server = (SSLServerSocket) context.getServerSocketFactory()
				.createServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.server.setNeedClientAuth(clientCertificate != null);
			Thread acceptor = new Thread(this::serve, "tls-upstream");
			acceptor.setDaemon(true);
			acceptor.start();
		}

		int port() {
			return this.server.getLocalPort();
		}

		private void serve() {
			while (!this.server.isClosed()) {
				try {
					SSLSocket client = (SSLSocket) this.server.accept();
					Thread echo = new Thread(() -> echo(client), "tls-echo");
					echo.setDaemon(true);
					echo.start();
				}
				catch (IOException ex) {
					return;
				}
			}
		}

		private static void echo(SSLSocket client) {
			try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
				byte[] buffer = new byte[4096];
				int n;
				while ((n = in.read(buffer)) >= 0) {
					out.write(buffer, 0, n);
					out.flush();
				}
			}
			catch (IOException ex) {
				// a refused handshake or a closed link ends this client, which is what the tests expect
			}
		}

		@Override
		public void close() throws IOException {
			this.server.close();
		}

	}

}
