package io.tcpbridge.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline for {@code POST /send}: the same Spring Boot setup as the bridge (its jars, so
 * the same server, MVC and auto-configuration), with the least a bridge must do for a send:
 * read the body, write it with its line feed to one shared upstream socket (read by a
 * {@link Sink}, as the bridge's is) and answer as the bridge does. No framing, link state,
 * options, metrics or error handling: what is left between the two is the bridge's own cost.
 * Spring Security is there as in an open bridge, its chain matching no request.
 */
@SpringBootApplication
@RestController
public class BareEndpoint {

	private final Socket upstream;

	private final OutputStream out;

	BareEndpoint(@Value("${bare.upstream-port}") int upstreamPort) throws IOException {
		this.upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
		this.upstream.setTcpNoDelay(true);
		this.out = new BufferedOutputStream(this.upstream.getOutputStream());
	}

	public static void main(String[] args) {
		SpringApplication.run(BareEndpoint.class, args);
	}

	@PostMapping(path = "/send", consumes = { MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_PLAIN_VALUE })
	Sent send(InputStream body) throws IOException {
		byte[] bytes = body.readAllBytes();
		synchronized (this.out) {
			this.out.write(bytes);
			this.out.write('\n');
			this.out.flush();
		}
		return new Sent(bytes.length);
	}

	/** Spring Security is on the bridge's classpath: its chain here matches no request, as an open bridge's does. */
	@Bean
	SecurityFilterChain open(HttpSecurity http) throws Exception {
		return http.securityMatcher((request) -> false).build();
	}

	@GetMapping("/ready")
	String ready() {
		return "ready";
	}

	record Sent(int bytes) {
	}

}
