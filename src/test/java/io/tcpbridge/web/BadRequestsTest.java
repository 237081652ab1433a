package io.tcpbridge.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Thousands of generated bad requests: wrong and missing content types, malformed JSON, bad
 * base64 and hex, bodies just over and far over the limit, bad query values, unknown paths
 * and methods. Each gets a 4xx problem detail, none a 5xx or a hang, nothing reaches the
 * upstream, and the link stays up.
 */
@BridgeTest(properties = "bridge.framing.max-frame-size=256B")
class BadRequestsTest {

	private static final int MAX = 256;

	private static final int REQUESTS = 2_400;

	@LocalServerPort
	private int port;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@Test
	void noBadRequestGetsA5xxOrHangsOrReachesTheUpstream() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.link.isConnected());
		long sentBefore = this.link.status().framesOut();
		int receivedBefore = this.upstream.latest().received().length;
		Random random = new Random(20261124);
		List<HttpRequest> requests = new ArrayList<>();
		for (int i = 0; i < REQUESTS; i++) {
			requests.add(badRequest(random));
		}

		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
		ExecutorService senders = Executors.newFixedThreadPool(8);
		try {
			List<Callable<String>> calls = requests.stream().<Callable<String>>map((request) -> () -> {
				String asked = request.method() + " " + request.uri() + " " + request.headers().map();
				HttpResponse<String> response;
				try {
					response = client.send(request, HttpResponse.BodyHandlers.ofString());
				}
				catch (IOException ex) {
					throw new AssertionError(asked + " -> no answer: " + ex.getMessage(), ex);
				}
				String what = asked + " -> " + response.statusCode() + " " + response.body();
				assertThat(response.statusCode()).as(what).isBetween(400, 499);
				assertThat(response.headers().firstValue("Content-Type").orElse("")).as(what)
					.startsWith("application/problem+json");
				assertThat(response.body()).as(what).contains("\"title\"");
				return what;
			}).toList();
			for (Future<String> result : senders.invokeAll(calls)) {
				result.get();
			}
		}
		finally {
			senders.shutdownNow();
		}

		assertThat(this.link.isConnected()).isTrue();
		assertThat(this.link.status().framesOut()).isEqualTo(sentBefore);
		assertThat(this.upstream.latest().received()).hasSize(receivedBefore);
		assertThat(client.send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString()).body())
			.startsWith("{\"components\"").contains("\"status\":\"UP\"");
	}

	@Test
	void aHundredMegabyteUploadIsRefusedEarlyNotBuffered() throws Exception {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.link.isConnected());
		long hundredMegabytes = 100L * 1024 * 1024;
		AtomicLong pulled = new AtomicLong();
		HttpRequest upload = HttpRequest.newBuilder(uri("/send")).timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/octet-stream")
			.POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new InputStream() {

				@Override
				public int read() {
					return (pulled.incrementAndGet() <= hundredMegabytes) ? 'x' : -1;
				}

				@Override
				public int read(byte[] b, int off, int len) {
					long left = hundredMegabytes - pulled.get();
					if (left <= 0) {
						return -1;
					}
					int n = (int) Math.min(len, left);
					pulled.addAndGet(n);
					Arrays.fill(b, off, off + n, (byte) 'x');
					return n;
				}

			}), hundredMegabytes))
			.build();
		String outcome;
		try {
			outcome = "HTTP " + HttpClient.newHttpClient().send(upload, HttpResponse.BodyHandlers.ofString()).statusCode();
		}
		catch (IOException ex) {
			// the server answered and closed the connection while the client was still writing
			outcome = "closed";
		}
		assertThat(outcome).isIn("HTTP 413", "closed");
		assertThat(pulled.get()).as("bytes the client got to send").isLessThan(hundredMegabytes / 4);
		assertThat(this.link.isConnected()).isTrue();
	}

	/**
	 * A request line the server cannot take never reaches the bridge: it still gets a problem
	 * detail, and is told that the connection closes, so that no client sends another request
	 * into a closed connection.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "/%", "/..;/x", "/%2e%2e/x" })
	void aPathTheServerRefusesGetsAProblemAndClosesTheConnection(String path) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			assertThat(answer).startsWith("HTTP/1.1 400 ")
				.containsIgnoringCase("Content-Type: application/problem+json")
				.containsIgnoringCase("Connection: close")
				.contains("\"title\":\"Bad Request\"");
		}
	}

	/** A handshake is a GET without a body: whatever Content-Type it carries, it upgrades. */
	@Test
	void aWebSocketHandshakeWithAWildcardContentTypeUpgrades() throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), this.port)) {
			socket.setSoTimeout(10_000);
			socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
					+ "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
					+ "Content-Type: */*\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] head = new byte[12];
			int read = 0;
			while (read < head.length) {
				read += socket.getInputStream().read(head, read, head.length - read);
			}
			assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 101");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "POST", "PUT", "DELETE", "PATCH", "OPTIONS" })
	void anythingButAHandshakeToWsIsAProblem(String method) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(uri("/ws")).header("Content-Type", "*/*")
				.method(method, HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(405);
		assertThat(response.headers().firstValue("Allow")).hasValue("GET");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(response.body()).contains("\"title\":\"Method not allowed\"");
	}

	private HttpRequest badRequest(Random random) {
		return switch (random.nextInt(10)) {
			case 0 -> post(pick(random, "application/xml", "image/png", "text/html", "multipart/form-data; boundary=x",
					"application/x-www-form-urlencoded", "text/", "/json", "application/json-patch+json",
					"text/plain; charset=no-such-charset", "application/octet-stream; charset=\"", "*/*", "text/*"),
					"a=b".getBytes());
			case 1 -> post("application/json", malformedJson(random).getBytes());
			case 2 -> post("application/json", ("{\"data\": \"" + junk(random, "!@#$%^&* ") + "\", \"encoding\": \""
					+ pick(random, "base64", "hex") + "\"}").getBytes());
			case 3 -> post(pick(random, "text/plain", "application/octet-stream"),
					bytes(random, random.nextBoolean() ? MAX + 1 + random.nextInt(8) : MAX * (2 + random.nextInt(200))));
			case 4 -> post(pick(random, "text/plain", "application/octet-stream", "application/json"), new byte[0]);
			case 5 -> post("text/plain", "with\na line feed".getBytes(), pick(random, "?await=" + junk(random, "xyz"),
					"?await=reply&timeout=" + junk(random, "-+abcms"), "?await=reply&timeout=-" + random.nextInt(100) + "s",
					"?await=reply&encoding=" + junk(random, "qwerty"), ""));
			case 6 -> get("/stream?" + pick(random, "encoding=" + junk(random, "ebcdic"),
					"lastEventId=" + junk(random, "!~*(") + "-" + random.nextInt(), "lastEventId=%20-%20"));
			case 7 -> HttpRequest.newBuilder(uri("/" + junk(random, "abcxyz/") + pick(random, "", ".php", "/../../etc")))
				.method(pick(random, "GET", "POST", "PUT", "DELETE"), HttpRequest.BodyPublishers.noBody()).build();
			// /ws takes only a handshake: any other method, or a GET that is no handshake, whatever its type
			case 8 -> HttpRequest.newBuilder(uri("/ws" + pick(random, "", "?encoding=utf8")))
				.header("Content-Type", pick(random, "*/*", "text/*", "application/json"))
				.method(pick(random, "GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
						HttpRequest.BodyPublishers.ofString("x"))
				.build();
			default -> HttpRequest.newBuilder(uri(pick(random, "/send", "/api/connection", "/api/connection/stop", "/stream")))
				.method(pick(random, "PUT", "DELETE", "PATCH"), HttpRequest.BodyPublishers.ofString("x")).build();
		};
	}

	private static String malformedJson(Random random) {
		String valid = "{\"data\": \"hello\", \"encoding\": \"utf8\"}";
		return switch (random.nextInt(5)) {
			case 0 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));
			case 1 -> "{\"data\": " + random.nextInt() + "}";
			case 2 -> "[\"data\", \"hello\"]";
			case 3 -> "{\"data\": \"hello\", \"encoding\": \"" + junk(random, "rot13") + "\"}";
			default -> "{\"encoding\": \"hex\"}";
		};
	}

	private static String junk(Random random, String alphabet) {
		StringBuilder text = new StringBuilder();
		for (int i = 0, n = 1 + random.nextInt(12); i < n; i++) {
			text.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		return text.toString();
	}

	private static byte[] bytes(Random random, int size) {
		byte[] bytes = new byte[size];
		random.nextBytes(bytes);
		// no line feed, so that only the size is wrong
		for (int i = 0; i < size; i++) {
			if (bytes[i] == '\n') {
				bytes[i] = 'x';
			}
		}
		return bytes;
	}

	@SafeVarargs
	private static <T> T pick(Random random, T... choices) {
		return choices[random.nextInt(choices.length)];
	}

	private HttpRequest post(String contentType, byte[] body) {
		return post(contentType, body, "");
	}

	private HttpRequest post(String contentType, byte[] body, String query) {
		return HttpRequest.newBuilder(uri("/send" + query)).timeout(Duration.ofSeconds(10))
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofByteArray(body))
			.build();
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path.replace(" ", "%20"));
	}

}
