package io.tcpbridge.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /send?await=reply} against an upstream that answers every line: each request
 * gets its own answer, even twenty at once; a silent upstream gives 504.
 */
@BridgeTest
class RequestReplyTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@LocalServerPort
	private int port;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Autowired
	private RestTestClient http;

	@BeforeEach
	void anUpstreamThatAnswers() {
		this.upstream.respondToLines((line) -> "re:" + line);
		await().atMost(WAIT).until(() -> this.link.isConnected());
	}

	@AfterEach
	void silence() {
		this.upstream.respondToLines(null);
	}

	@Test
	void theReplyIsTheNextFrameAndIsStillPublished() {
		try (SseClient stream = SseClient.open(this.port, "/stream")) {
			await().atMost(WAIT).until(() -> !stream.events("connection").isEmpty());
			this.http.post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).body("ping").exchange()
				.expectStatus().isOk().expectBody()
				.jsonPath("$.data").isEqualTo("re:ping")
				.jsonPath("$.encoding").isEqualTo("utf8")
				.jsonPath("$.id").isNotEmpty();
			await().atMost(WAIT).until(() -> stream.events("frame").stream().anyMatch((e) -> e.data().equals("re:ping")));
		}
	}

	@Test
	void theReplyComesAsBytesToAClientThatAsksForThem() {
		this.http.post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).accept(MediaType.APPLICATION_OCTET_STREAM)
			.body("raw").exchange()
			.expectStatus().isOk()
			.expectHeader().contentType(MediaType.APPLICATION_OCTET_STREAM)
			.expectHeader().exists("Frame-Id")
			.expectBody(byte[].class).isEqualTo("re:raw".getBytes());
	}

	@Test
	void theReplyCanBeWrittenInHex() {
		this.http.post().uri("/send?await=reply&encoding=hex").contentType(MediaType.APPLICATION_JSON)
			.body("{\"data\": \"hi\"}").exchange()
			.expectStatus().isOk().expectBody()
			.jsonPath("$.data").isEqualTo("72653a6869")
			.jsonPath("$.encoding").isEqualTo("hex");
	}

	@Test
	void twentyConcurrentRequestsEachGetTheirOwnReply() throws Exception {
		ExecutorService clients = Executors.newFixedThreadPool(20);
		try {
			List<Callable<String>> requests = IntStream.range(0, 20).<Callable<String>>mapToObj((n) -> () -> this.http
				.post().uri("/send?await=reply&timeout=20s").contentType(MediaType.TEXT_PLAIN).body("request " + n)
				.exchange().expectStatus().isOk().returnResult(ReplyFrame.class).getResponseBody().data()).toList();
			List<Future<String>> replies = clients.invokeAll(requests);
			for (int n = 0; n < 20; n++) {
				assertThat(replies.get(n).get()).isEqualTo("re:request " + n);
			}
		}
		finally {
			clients.shutdownNow();
		}
	}

	@Test
	void aSilentUpstreamGives504() {
		this.upstream.respondToLines(null);
		this.http.post().uri("/send?await=reply&timeout=300ms").contentType(MediaType.TEXT_PLAIN).body("hello?").exchange()
			.expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("No reply in time");
	}

	@Test
	void badReplyOptionsAreRefused() {
		for (String query : List.of("await=answer", "await=reply&timeout=soon", "await=reply&timeout=-1s",
				"await=reply&timeout=1h", "await=reply&encoding=rot13")) {
			this.http.post().uri("/send?" + query).contentType(MediaType.TEXT_PLAIN).body("x").exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
	}

}
