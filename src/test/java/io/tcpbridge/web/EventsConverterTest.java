package io.tcpbridge.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import io.tcpbridge.web.SseSink.Events;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpOutputMessage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A batch of SSE events is joined in the writing thread's buffer and written in one piece,
 * or in pieces of the buffer's limit when it is larger, and nothing of one batch leaks into
 * the next.
 */
class EventsConverterTest {

	private final SseSink.EventsConverter converter = new SseSink.EventsConverter();

	@Test
	void aSmallBatchIsOneWriteOfAllItsEvents() throws IOException {
		RecordingMessage output = new RecordingMessage();
		this.converter.write(events("event: frame\ndata: a\n\n", "event: frame\ndata: b\n\n"), null, output);
		assertThat(output.writes).containsExactly(44);
		assertThat(output.text()).isEqualTo("event: frame\ndata: a\n\nevent: frame\ndata: b\n\n");
	}

	@Test
	void aBatchOverTheLimitIsWrittenInBlocksOfTheLimitAndWhole() throws IOException {
		// three events of 50,000 bytes, each with its own letter: blocks cut them in the middle
		byte[] a = filled(50_000, 'a');
		byte[] b = filled(50_000, 'b');
		byte[] c = filled(50_000, 'c');
		RecordingMessage output = new RecordingMessage();
		this.converter.write(new Events(new byte[][] { a, b, c }, 150_000), null, output);
		int limit = SseSink.EventsConverter.MAX_BLOCK_BYTES;
		assertThat(output.writes).containsExactly(limit, limit, 150_000 - 2 * limit);
		assertThat(output.body.toByteArray()).isEqualTo(concat(a, b, c));
	}

	@Test
	void aBatchAfterALargerOneCarriesNothingOfIt() throws IOException {
		this.converter.write(new Events(new byte[][] { filled(10_000, 'x') }, 10_000), null, new RecordingMessage());
		RecordingMessage output = new RecordingMessage();
		this.converter.write(events("data: y\n\n"), null, output);
		assertThat(output.text()).isEqualTo("data: y\n\n");
	}

	@Test
	void aFrameFarLargerThanTheLimitReachesAnSseClientWhole() {
		String payload = "0123456789".repeat(20_000);
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge bridge = RunningBridge.connectedTo(upstream, "bridge.framing.max-frame-size=1MB");
				SseClient client = SseClient.open(bridge.port(), "/stream")) {
			await().atMost(Duration.ofSeconds(10)).until(() -> !client.events("connection").isEmpty());
			upstream.latest().write((payload + "\nafter\n").getBytes(StandardCharsets.US_ASCII));
			await().atMost(Duration.ofSeconds(10)).until(() -> client.events("frame").size() >= 2);
			assertThat(client.events("frame")).extracting(SseClient.Event::data).containsExactly(payload, "after");
		}
	}

	private static Events events(String... texts) {
		byte[][] events = new byte[texts.length][];
		int size = 0;
		for (int i = 0; i < texts.length; i++) {
			events[i] = texts[i].getBytes(StandardCharsets.US_ASCII);
			size += events[i].length;
		}
		return new Events(events, size);
	}

	private static byte[] filled(int size, char letter) {
		byte[] bytes = new byte[size];
		Arrays.fill(bytes, (byte) letter);
		return bytes;
	}

	private static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream all = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			all.writeBytes(part);
		}
		return all.toByteArray();
	}

	/** A response body that keeps what is written to it, and the size of every write. */
	private static final class RecordingMessage implements HttpOutputMessage {

		final List<Integer> writes = new ArrayList<>();

		final ByteArrayOutputStream body = new ByteArrayOutputStream();

		private final HttpHeaders headers = new HttpHeaders();

		@Override
		public OutputStream getBody() {
			return new OutputStream() {

				@Override
				public void write(int b) {
					RecordingMessage.this.writes.add(1);
					RecordingMessage.this.body.write(b);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) {
					RecordingMessage.this.writes.add(length);
					RecordingMessage.this.body.write(bytes, offset, length);
				}

			};
		}

		@Override
		public HttpHeaders getHeaders() {
			return this.headers;
		}

		String text() {
			return this.body.toString(StandardCharsets.US_ASCII);
		}

	}

}
