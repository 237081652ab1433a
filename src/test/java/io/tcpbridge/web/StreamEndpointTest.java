package io.tcpbridge.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.IntStream;

import io.tcpbridge.support.BridgeTest;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.support.WebSocketClient;
import io.tcpbridge.upstream.UpstreamLink;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code GET /stream} and {@code /ws} with real clients over real HTTP, fed by a real
 * upstream: every frame reaches every subscriber in order, a returning subscriber gets what
 * it missed, and is told what it cannot get.
 */
@BridgeTest(properties = { "bridge.stream.history-size=100", "bridge.stream.heartbeat-interval=200ms",
		"bridge.upstream.reconnect.max-delay=200ms", "bridge.stream.subscriber-queue=20000" })
class StreamEndpointTest {

	private static final Duration WAIT = Duration.ofSeconds(20);

	@LocalServerPort
	private int port;

	@Autowired
	private TestUpstream upstream;

	@Autowired
	private UpstreamLink link;

	@BeforeEach
	void connected() {
		this.link.start();
		await().atMost(WAIT).until(() -> this.link.isConnected());
	}

	/**
	 * One burst of 10,000 frames, read off the socket in a few milliseconds: within the
	 * subscribers' queues (20,000 here), every one of them gets every frame. A burst larger
	 * than a queue would, by design, cost a subscriber whose turn had not come yet its oldest
	 * frames, told with a gap.
	 */
	@Test
	void tenThousandFramesReachThreeSseSubscribersAndAWebSocketOneInOrder() {
		List<SseClient> sse = List.of(open(""), open(""), open(""));
		try (WebSocketClient ws = WebSocketClient.connect(this.port, "/ws")) {
			await().atMost(WAIT).until(() -> sse.stream().allMatch((c) -> !c.events("connection").isEmpty()));
			// the WebSocket subscriber is in the hub once it has its first notice
			await().atMost(WAIT).until(() -> !ws.textMessages().isEmpty());
			List<String> sent = IntStream.rangeClosed(1, 10_000).mapToObj((n) -> "frame " + n).toList();
			this.upstream.latest().write(lines(sent));

			for (SseClient client : sse) {
				await().atMost(WAIT).until(() -> client.events("frame").size() >= sent.size());
				assertThat(client.events("frame")).extracting(SseClient.Event::data).containsExactlyElementsOf(sent);
				assertThat(client.events("gap")).isEmpty();
			}
			await().atMost(WAIT).until(() -> ws.binaryMessages().size() >= sent.size());
			assertThat(ws.binaryMessages()).extracting((m) -> new String(m.bytes(), StandardCharsets.UTF_8))
				.containsExactlyElementsOf(sent);
		}
		finally {
			sse.forEach(SseClient::close);
		}
	}

	@Test
	void aStreamStartsWithTheLinkStateAndFollowsItsChanges() {
		try (SseClient client = open("")) {
			await().atMost(WAIT).until(() -> !client.events().isEmpty());
			assertThat(client.events().get(0).event()).isEqualTo("connection");
			assertThat(client.events().get(0).data()).contains("\"state\":\"CONNECTED\"");

			this.upstream.dropConnections();
			await().atMost(WAIT).until(() -> client.events("connection").stream()
				.anyMatch((e) -> e.data().contains("DISCONNECTED") && e.data().contains("closed the connection")));
			await().atMost(WAIT).until(() -> client.events("connection").size() >= 4
					&& client.events("connection").get(client.events("connection").size() - 1).data().contains("\"CONNECTED\""));
			assertThat(client.events("connection")).extracting(SseClient.Event::data)
				.allSatisfy((data) -> assertThat(data).contains("\"at\":"));
			assertThat(client.headers().get("content-type").get(0)).startsWith("text/event-stream");
		}
	}

	@Test
	void keepAliveCommentsFlowWhileTheStreamIsIdle() {
		try (SseClient client = open("")) {
			await().atMost(WAIT).until(() -> client.comments().contains("keep-alive"));
		}
	}

	@Test
	void aReturningSubscriberGetsExactlyWhatItMissed() {
		List<String> sent = IntStream.rangeClosed(1, 60).mapToObj((n) -> "m" + n).toList();
		List<SseClient.Event> received = new ArrayList<>();
		String lastId;
		try (SseClient first = open("")) {
			await().atMost(WAIT).until(() -> !first.events("connection").isEmpty());
			this.upstream.latest().write(lines(sent.subList(0, 20)));
			await().atMost(WAIT).until(() -> first.events("frame").size() >= 20);
			received.addAll(first.events("frame"));
			lastId = received.get(received.size() - 1).id();
		}
		this.upstream.latest().write(lines(sent.subList(20, 60)));
		await().atMost(WAIT).until(() -> this.link.status().framesIn() >= 60);

		try (SseClient back = open("", "Last-Event-ID", lastId)) {
			await().atMost(WAIT).until(() -> back.events("frame").size() >= 40);
			assertThat(back.events("gap")).isEmpty();
			received.addAll(back.events("frame"));
		}
		assertThat(received).extracting(SseClient.Event::data).containsExactlyElementsOf(sent);
		assertThat(received).extracting(SseClient.Event::id).doesNotHaveDuplicates();
	}

	@Test
	void theIdCanComeAsAQueryParameterForClientsThatCannotSetHeaders() {
		String lastId;
		try (SseClient first = open("")) {
			this.upstream.latest().write(lines(List.of("a", "b")));
			await().atMost(WAIT).until(() -> first.events("frame").size() >= 2);
			lastId = first.events("frame").get(0).id();
		}
		try (SseClient back = open("?lastEventId=" + lastId)) {
			await().atMost(WAIT).until(() -> back.events("frame").size() >= 1);
			assertThat(back.events("frame").get(0).data()).isEqualTo("b");
		}
	}

	@Test
	void framesNoLongerInHistoryAreAnnouncedByOneGapWithTheirCount() {
		String lastId;
		try (SseClient first = open("")) {
			this.upstream.latest().write(lines(List.of("before")));
			await().atMost(WAIT).until(() -> first.events("frame").size() >= 1);
			lastId = first.events("frame").get(0).id();
		}
		long seenBefore = this.link.status().framesIn();
		// history holds 100: 250 more push 150 of them out
		this.upstream.latest().write(lines(IntStream.rangeClosed(1, 250).mapToObj((n) -> "later " + n).toList()));
		await().atMost(WAIT).until(() -> this.link.status().framesIn() >= seenBefore + 250);

		try (SseClient back = open("", "Last-Event-ID", lastId)) {
			await().atMost(WAIT).until(() -> back.events("frame").size() >= 100);
			List<SseClient.Event> events = back.events();
			assertThat(events.get(0).event()).isEqualTo("connection");
			assertThat(events.get(1).event()).isEqualTo("gap");
			assertThat(events.get(1).data()).isEqualTo("{\"missed\":150,\"reason\":\"evicted\"}");
			assertThat(back.events("gap")).hasSize(1);
			assertThat(back.events("frame").get(0).data()).isEqualTo("later 151");
			assertThat(back.events("frame").get(99).data()).isEqualTo("later 250");
		}
	}

	@Test
	void anIdFromAnEarlierRunOfTheBridgeGetsAGapThatSaysSo() {
		this.upstream.latest().write(lines(List.of("now")));
		await().atMost(WAIT).until(() -> this.link.status().framesIn() >= 1);
		try (SseClient back = open("", "Last-Event-ID", "abc123-42")) {
			await().atMost(WAIT).until(() -> !back.events("gap").isEmpty() && !back.events("frame").isEmpty());
			assertThat(back.events("gap").get(0).data()).contains("\"reason\":\"restarted\"");
		}
	}

	@Test
	void framesThatAreNotTextTravelInBase64AndAreMarkedSo() {
		try (SseClient client = open("")) {
			await().atMost(WAIT).until(() -> !client.events("connection").isEmpty());
			byte[] notUtf8 = { 'a', (byte) 0xFF, 'b' };
			byte[] withCarriageReturn = { 'a', '\r', 'b' };
			byte[] withNul = { 'a', 0, 'b' };
			this.upstream.latest().write(concat(notUtf8, withCarriageReturn, withNul));
			await().atMost(WAIT).until(() -> client.events().size() >= 4);
			assertThat(client.events("frame-base64")).extracting((e) -> Base64.getDecoder().decode(e.data()))
				.containsExactly(notUtf8, withCarriageReturn);
			assertThat(client.events("frame")).extracting(SseClient.Event::data).containsExactly("a\u0000b");
		}
	}

	@Test
	void framesCanBeStreamedInHexOrBase64() {
		try (SseClient hex = open("?encoding=hex"); SseClient base64 = open("?encoding=base64")) {
			await().atMost(WAIT).until(() -> !hex.events().isEmpty() && !base64.events().isEmpty());
			this.upstream.latest().write(new byte[] { 0x01, (byte) 0xAB, '\n' });
			await().atMost(WAIT).until(() -> !hex.events("frame").isEmpty() && !base64.events("frame").isEmpty());
			assertThat(hex.events("frame").get(0).data()).isEqualTo("01ab");
			assertThat(base64.events("frame").get(0).data()).isEqualTo("Aas=");
		}
	}

	@Test
	void badQueriesAreRefusedWithProblemDetails() {
		try (SseClient badEncoding = open("?encoding=ebcdic"); SseClient badId = open("", "Last-Event-ID", "nonsense");
				SseClient futureId = open("", "Last-Event-ID", currentRun() + "-999999999")) {
			assertThat(badEncoding.status()).isEqualTo(400);
			assertThat(badId.status()).isEqualTo(400);
			assertThat(futureId.status()).isEqualTo(400);
		}
	}

	private String currentRun() {
		try (SseClient client = open("")) {
			this.upstream.latest().write(lines(List.of("x")));
			await().atMost(WAIT).until(() -> !client.events("frame").isEmpty());
			String id = client.events("frame").get(0).id();
			return id.substring(0, id.lastIndexOf('-'));
		}
	}

	private SseClient open(String query, String... headers) {
		return SseClient.open(this.port, "/stream" + query, headers);
	}

	private static byte[] lines(List<String> lines) {
		return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] concat(byte[]... frames) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] frame : frames) {
			out.writeBytes(frame);
			out.write('\n');
		}
		return out.toByteArray();
	}

}
