package io.tcpbridge.bench;

import java.io.IOException;
import java.io.InputStream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The baseline for {@code POST /send}: the same Spring Boot setup as the bridge (its jars, so
 * the same server, MVC and auto-configuration), with an endpoint that reads the body and
 * answers as the bridge does, but writes nothing anywhere.
 */
@SpringBootApplication
@RestController
public class BareEndpoint {

	public static void main(String[] args) {
		SpringApplication.run(BareEndpoint.class, args);
	}

	@PostMapping(path = "/send", consumes = { MediaType.APPLICATION_OCTET_STREAM_VALUE, MediaType.TEXT_PLAIN_VALUE })
	Sent send(InputStream body) throws IOException {
		return new Sent(body.readAllBytes().length);
	}

	@GetMapping("/ready")
	String ready() {
		return "ready";
	}

	record Sent(int bytes) {
	}

}
