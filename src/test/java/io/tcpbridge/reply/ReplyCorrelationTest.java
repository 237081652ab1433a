package io.tcpbridge.reply;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

import io.micrometer.core.instrument.MeterRegistry;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /send?await=reply} with each {@code bridge.reply.correlation}, 32 requests at
 * once, against an upstream on a real socket: replies in order (fifo), out of order among
 * frames no one asked for (key), of several frames ({@code frames=}, {@code until=}), late,
 * lost, and refused.
 */
class ReplyCorrelationTest {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final ExecutorService clients = Executors.newFixedThreadPool(32);

	private final TestUpstream upstream = TestUpstream.onFreePort();

	private RunningBridge bridge;

	@AfterEach
	void close() {
		this.clients.shutdownNow();
		if (this.bridge != null) {
			this.bridge.close();
		}
		this.upstream.close();
	}

	@Test
	void fifoPipelinesRequestsAndEachGetsItsOwnReplyOfTwoFrames() throws Exception {
		// as Redis answers ECHO: a bulk reply is two lines, its length and its text
		this.upstream.respondToLines((line) -> "$" + line.length() + "\n" + line);
		start("bridge.reply.correlation=fifo", "bridge.reply.frames=2");
		List<Future<Reply>> replies = all(32, (i) -> post("/send?await=reply", "request " + i));
		for (int i = 0; i < 32; i++) {
			Reply reply = replies.get(i).get();
			assertThat(reply.frames()).extracting(ReplyFrame::data)
				.containsExactly("$" + ("request " + i).length(), "request " + i);
			assertThat(reply.data()).isNull();
		}
	}

	@Test
	void keyMatchesRepliesThatComeOutOfOrderAmongFramesNoOneAskedFor() throws Exception {
		start("bridge.reply.correlation=key", "bridge.reply.key=regex:\"id\":(\\d+)");
		List<Future<Reply>> replies = all(32, (i) -> post("/send?await=reply", "{\"id\":" + i + ",\"q\":\"x\"}"));
		await().atMost(WAIT).until(() -> lines(this.upstream.latest().received()) == 32);
		StringBuilder answers = new StringBuilder();
		for (int i = 31; i >= 0; i--) {
			answers.append("{\"event\":\"tick\"}\n{\"id\":").append(1000 + i).append(",\"r\":\"nobody's\"}\n");
			answers.append("{\"id\":").append(i).append(",\"r\":\"re:").append(i).append("\"}\n");
		}
		this.upstream.latest().write(answers.toString().getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 32; i++) {
			assertThat(replies.get(i).get().data()).isEqualTo("{\"id\":" + i + ",\"r\":\"re:" + i + "\"}");
		}
		// every frame, asked for or not, was published
		await().atMost(WAIT).until(() -> this.bridge.received().size() == 96);
	}

	@Test
	void serialTakesThirtyTwoRequestsOneAtATime() throws Exception {
		this.upstream.respondToLines((line) -> "re:" + line);
		start();
		List<Future<Reply>> replies = all(32, (i) -> post("/send?await=reply&timeout=20s", "request " + i));
		for (int i = 0; i < 32; i++) {
			assertThat(replies.get(i).get().data()).isEqualTo("re:request " + i);
		}
	}

	@Test
	void untilEndsTheReplyAtTheFirstFrameThatMatches() {
		// as SMTP answers EHLO
		this.upstream.respondToLines((line) -> "250-mail.example\n250-SIZE 1000\n250 OK");
		start();
		Reply reply = post("/send?await=reply&until={until}", "EHLO me", "^\\d{3} ");
		assertThat(reply.frames()).extracting(ReplyFrame::data).containsExactly("250-mail.example", "250-SIZE 1000", "250 OK");
		assertThat(reply.frames()).extracting(ReplyFrame::id).doesNotHaveDuplicates().doesNotContainNull();
	}

	@Test
	void aLateReplyIsCountedAndNeverHandedToTheNextRequest() {
		start();
		http().post().uri("/send?await=reply&timeout=300ms").contentType(MediaType.TEXT_PLAIN).body("first").exchange()
			.expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT);
		this.upstream.respondToLines((line) -> "re:" + line);
		// the second waits for its turn while the first's reply is late
		CompletableFuture<Reply> second = CompletableFuture.supplyAsync(() -> post("/send?await=reply", "second"),
				this.clients);
		this.upstream.latest().write("re:first\n".getBytes(StandardCharsets.UTF_8));
		assertThat(second.join().data()).isEqualTo("re:second");
		assertThat(meters().get("bridge.replies.late").counter().count()).isEqualTo(1);
	}

	@Test
	void fifoRefusesOneRequestMoreThanMayWait() {
		start("bridge.reply.correlation=fifo", "bridge.reply.max-in-flight=2");
		all(2, (i) -> http().post().uri("/send?await=reply&timeout=1s").contentType(MediaType.TEXT_PLAIN).body("q" + i)
			.exchange().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT));
		await().atMost(WAIT).until(() -> inFlight() == 2);
		http().post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).body("one more").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
			.expectHeader().valueEquals("Retry-After", "1")
			.expectBody().jsonPath("$.title").isEqualTo("Too many requests waiting for replies");
		assertThat(lines(this.upstream.latest().received())).isEqualTo(2);
	}

	@Test
	void keyRefusesASecondRequestWithTheSameKey() {
		start("bridge.reply.correlation=key", "bridge.reply.key=bytes:0:2");
		all(1, (i) -> http().post().uri("/send?await=reply&timeout=1s").contentType(MediaType.TEXT_PLAIN).body("ab first")
			.exchange().expectStatus().isEqualTo(HttpStatus.GATEWAY_TIMEOUT));
		await().atMost(WAIT).until(() -> inFlight() == 1);
		http().post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).body("ab second").exchange()
			.expectStatus().isEqualTo(HttpStatus.CONFLICT)
			.expectBody().jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("6162"));
	}

	@Test
	void badReplyOptionsAndRequestsWithoutTheirKeyAreRefusedAndNothingIsSent() {
		start("bridge.reply.correlation=key", "bridge.reply.key=bytes:0:4");
		for (String query : List.of("until=(", "frames=0", "frames=1001", "frames=two", "frames=2&until=x", "wait=soon",
				"wait=-1s")) {
			http().post().uri("/send?await=reply&" + query).contentType(MediaType.TEXT_PLAIN).body("abcdef").exchange()
				.expectStatus().isBadRequest()
				.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
		}
		http().post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).body("abc").exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.title").isEqualTo("Request without its key")
			.jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("3 bytes").contains("bytes 0 to 3"));
		assertThat(this.upstream.latest().received()).isEmpty();
	}

	@Test
	void aRegexKeyTheRequestDoesNotMatchIsRefused() {
		start("bridge.reply.correlation=key", "bridge.reply.key=regex:\"id\":(\\d+)");
		http().post().uri("/send?await=reply").contentType(MediaType.TEXT_PLAIN).body("{\"q\":1}").exchange()
			.expectStatus().isBadRequest()
			.expectBody().jsonPath("$.detail").value((detail) -> assertThat(detail.toString()).contains("\"id\":(\\d+)"));
		assertThat(this.upstream.latest().received()).isEmpty();
	}

	@Test
	void waitGivesAReconnectingLinkTimeToComeBack() {
		start();
		this.upstream.stop();
		this.bridge.awaitState(LinkState.DISCONNECTED);
		http().post().uri("/send").contentType(MediaType.TEXT_PLAIN).body("now").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		http().post().uri("/send?wait=200ms").contentType(MediaType.TEXT_PLAIN).body("soon").exchange()
			.expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		CompletableFuture<Integer> waited = CompletableFuture.supplyAsync(() -> http().post().uri("/send?wait=10s")
			.contentType(MediaType.TEXT_PLAIN).body("later").exchange().returnResult(String.class).getStatus().value(),
				this.clients);
		this.upstream.start();
		assertThat(waited.join()).isEqualTo(200);
		await().atMost(WAIT)
			.until(() -> new String(this.upstream.latest().received(), StandardCharsets.UTF_8).equals("later\n"));
	}

	@Test
	void aReplyLostWithItsConnectionIsABadGateway() {
		start();
		CompletableFuture<Integer> status = CompletableFuture.supplyAsync(() -> http().post().uri("/send?await=reply")
			.contentType(MediaType.TEXT_PLAIN).body("hello?").exchange().returnResult(String.class).getStatus().value(),
				this.clients);
		await().atMost(WAIT).until(() -> inFlight() == 1);
		this.upstream.dropConnections();
		assertThat(status.join()).isEqualTo(502);
		assertThat(inFlight()).isZero();
	}

	private void start(String... properties) {
		this.bridge = RunningBridge.connectedTo(this.upstream, properties);
	}

	private RestTestClient http() {
		return this.bridge.http();
	}

	private Reply post(String uri, String body, Object... uriVariables) {
		return http().post().uri(uri, uriVariables).contentType(MediaType.TEXT_PLAIN).body(body).exchange()
			.expectStatus().isOk().returnResult(Reply.class).getResponseBody();
	}

	private <T> List<Future<T>> all(int count, IntFunction<T> request) {
		List<Future<T>> futures = new ArrayList<>();
		IntStream.range(0, count).forEach((i) -> futures.add(this.clients.submit(() -> request.apply(i))));
		return futures;
	}

	private MeterRegistry meters() {
		return this.bridge.context().getBean(MeterRegistry.class);
	}

	private double inFlight() {
		return meters().get("bridge.replies.in.flight").gauge().value();
	}

	private static long lines(byte[] bytes) {
		return new String(bytes, StandardCharsets.UTF_8).chars().filter((c) -> c == '\n').count();
	}

	record Reply(String id, String data, String encoding, List<ReplyFrame> frames) {
	}

	record ReplyFrame(String id, String data, String encoding) {
	}

}
