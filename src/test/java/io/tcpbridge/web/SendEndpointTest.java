package io.tcpbridge.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /send} over real HTTP to a real upstream: what reaches the socket, and every
 * refusal as a problem detail.
 */
@BridgeTest(properties = { "bridge.framing.max-frame-size=1KB" })
class SendEndpointTest {

	private static final int MAX = 1024;

	@LocalServerPort
	private int port;

	@Autowired
	private RestTestClient http;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	private int receivedBefore;

	private long framesOutBefore;

	@BeforeEach
	void connected() {
		this.link.start();
		await().atMost(Duration.ofSeconds(5)).until(() -> this.link.isConnected());
		this.receivedBefore = this.upstream.latest().received().length;
		this.framesOutBefore = this.link.status().framesOut();
	}

	@Test
	void textIsSentAsUtf8WithTheDelimiter() {
		send(MediaType.TEXT_PLAIN, "héllo").expectStatus().isOk().expectBody().json("{\"bytes\": 6}");
		assertSent("héllo\n".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void textInAnotherCharsetIsSentAsUtf8() {
		this.http.post().uri("/send").contentType(MediaType.parseMediaType("text/plain;charset=ISO-8859-1"))
			.body(new byte[] { 'c', 'a', 'f', (byte) 0xE9 }).exchange().expectStatus().isOk();
		assertSent("café\n".getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void bytesAreSentAsTheyAre() {
		byte[] frame = { 0, 1, 2, (byte) 0xFF, '\r' };
		send(MediaType.APPLICATION_OCTET_STREAM, frame).expectStatus().isOk().expectBody().json("{\"bytes\": 5}");
		assertSent(new byte[] { 0, 1, 2, (byte) 0xFF, '\r', '\n' });
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = { "{\"data\": \"hi there\"}|hi there", "{\"data\": \"hi\", \"encoding\": \"utf8\"}|hi",
			"{\"data\": \"aGk=\", \"encoding\": \"base64\"}|hi", "{\"data\": \"6869\", \"encoding\": \"hex\"}|hi" })
	void jsonIsDecodedInItsEncoding(String json, String frame) {
		send(MediaType.APPLICATION_JSON, json).expectStatus().isOk();
		assertSent((frame + "\n").getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void aFrameOfExactlyTheMaximumSizeIsSent() {
		byte[] frame = new byte[MAX];
		Arrays.fill(frame, (byte) 'x');
		send(MediaType.APPLICATION_OCTET_STREAM, frame).expectStatus().isOk().expectBody().json("{\"bytes\": 1024}");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', value = {
			"text/plain||Empty frame",
			"application/octet-stream||Empty frame",
			"application/json||Empty frame",
			"application/json|{\"data\": \"\"}|Empty frame",
			"application/json|{\"data\": |Malformed JSON",
			"application/json|[1, 2]|Malformed JSON",
			"application/json|null|Malformed JSON",
			"application/json|\"hi\"|Malformed JSON",
			"application/json|{\"data\": 5}|Malformed JSON",
			"application/json|{\"data\": \"hi\", \"encoding\": true}|Malformed JSON",
			"application/json|{\"data\": {\"a\": 1}}|Malformed JSON",
			"application/json|{\"encoding\": \"hex\"}|Missing data",
			"application/json|{\"data\": \"hi\", \"encoding\": \"rot13\"}|Unknown encoding",
			"application/json|{\"data\": \"not base64!\", \"encoding\": \"base64\"}|Undecodable data",
			"application/json|{\"data\": \"abc\", \"encoding\": \"hex\"}|Undecodable data",
			"application/json|{\"data\": \"zz\", \"encoding\": \"hex\"}|Undecodable data",
			"application/json|{\"data\": \"0A\", \"encoding\": \"hex\"}|Frame contains the delimiter" })
	void badBodiesAreRefusedWith400(String contentType, String body, String title) {
		RestTestClient.RequestBodySpec request = this.http.post().uri("/send").contentType(MediaType.parseMediaType(contentType));
		(body != null ? request.body(body) : request).exchange()
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo(title).jsonPath("$.detail").isNotEmpty();
		assertNothingSent();
	}

	@Test
	void textHoldingTheDelimiterIsRefusedRatherThanSplit() {
		send(MediaType.TEXT_PLAIN, "two\nlines").expectStatus().isBadRequest()
			.expectBody().jsonPath("$.title").isEqualTo("Frame contains the delimiter");
		assertNothingSent();
	}

	@Test
	void aBodyOneByteOverTheMaximumIsRefusedWith413() {
		send(MediaType.APPLICATION_OCTET_STREAM, new byte[MAX + 1]).expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Frame too large")
			.jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("1024"));
		assertNothingSent();
	}

	@Test
	void aJsonFrameOverTheMaximumIsRefusedWith413() {
		String hex = "61".repeat(MAX + 1);
		send(MediaType.APPLICATION_JSON, "{\"data\": \"" + hex + "\", \"encoding\": \"hex\"}")
			.expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
			.expectBody().jsonPath("$.title").isEqualTo("Frame too large");
	}

	/**
	 * With a client that reads the answer while it still sends, as the JDK's does: the bridge
	 * answers once the limit is passed, and the rest is read and dropped, never held.
	 */
	@Test
	void aFarLargerBodyIsRefusedWithoutReadingItAll() throws Exception {
		HttpResponse<String> answer = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/send"))
				.header("Content-Type", MediaType.APPLICATION_OCTET_STREAM_VALUE)
				.timeout(Duration.ofSeconds(10))
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4 * 1024 * 1024]))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(answer.statusCode()).isEqualTo(HttpStatus.CONTENT_TOO_LARGE.value());
		assertNothingSent();
	}

	@ParameterizedTest
	@CsvSource({ "application/x-www-form-urlencoded", "application/xml", "image/png" })
	void otherContentTypesAreRefusedWith415(String contentType) {
		send(MediaType.parseMediaType(contentType), "a=b").expectStatus().isEqualTo(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Unsupported content type")
			.jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("text/plain"));
	}

	@Test
	void whileTheLinkReconnectsSendIsRefusedWith503AndRetryAfter() {
		this.upstream.stop();
		try {
			await().atMost(Duration.ofSeconds(5)).until(() -> this.link.status().state() == LinkState.DISCONNECTED);
			send(MediaType.TEXT_PLAIN, "hello").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
				.expectHeader().exists("Retry-After")
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody().jsonPath("$.title").isEqualTo("Upstream not connected");
		}
		finally {
			this.upstream.start();
		}
	}

	/** A stopped link makes no attempt until an operator starts it: no Retry-After, and how to start it. */
	@Test
	void whileTheLinkIsStoppedSendIsRefusedWith503AndNoRetryAfter() {
		this.link.stop();
		send(MediaType.TEXT_PLAIN, "hello").expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().doesNotExist("Retry-After")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo("Upstream not connected")
			.jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("STOPPED")
				.contains("POST /api/links/default/start"));
	}

	@Test
	void anAnswerTheClientCannotTakeIsRefusedBeforeAnythingIsSent() {
		this.http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).accept(MediaType.TEXT_HTML).body("hi").exchange()
			.expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE);
		this.http.post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).header("Accept", "text")
			.body("hi").exchange().expectStatus().value((status) -> assertThat(status).isIn(400, 406));
		this.http.post().uri("/send").contentType(MediaType.TEXT_PLAIN).accept(MediaType.APPLICATION_OCTET_STREAM)
			.body("hi").exchange().expectStatus().isEqualTo(HttpStatus.NOT_ACCEPTABLE);
		assertNothingSent();
	}

	@Test
	void unknownPathsAndMethodsAreProblemDetailsToo() {
		this.http.get().uri("/nothing-here").exchange().expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.http.get().uri("/send").exchange().expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	private RestTestClient.ResponseSpec send(MediaType type, Object body) {
		return this.http.post().uri("/send").contentType(type).body(body).exchange();
	}

	private void assertSent(byte[] expected) {
		await().atMost(Duration.ofSeconds(5)).until(() -> received().length >= expected.length);
		assertThat(received()).isEqualTo(expected);
	}

	/** Sends are counted before the answer, so a refused one shows at once. */
	private void assertNothingSent() {
		assertThat(this.link.status().framesOut()).isEqualTo(this.framesOutBefore);
		assertThat(received()).isEmpty();
	}

	/** What reached the upstream during this test. */
	private byte[] received() {
		byte[] all = this.upstream.latest().received();
		return Arrays.copyOfRange(all, this.receivedBefore, all.length);
	}

}
