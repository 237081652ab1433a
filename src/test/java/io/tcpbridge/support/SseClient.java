package io.tcpbridge.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real Server-Sent Events client over HTTP, parsing the stream the way the HTML standard
 * says browsers do: fields, multi-line data, comments, a blank line ends an event.
 */
public final class SseClient implements AutoCloseable {

	/** One event as a browser would dispatch it. */
	public record Event(String event, String id, String data) {
	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	private final List<String> comments = new CopyOnWriteArrayList<>();

	private final HttpResponse<InputStream> response;

	private final Thread reader;

	private volatile boolean ended;

	private SseClient(HttpResponse<InputStream> response) {
		this.response = response;
		this.reader = new Thread(this::read, "sse-client");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/** Opens {@code http://127.0.0.1:port<pathAndQuery>} with the given headers. */
	public static SseClient open(int port, String pathAndQuery, String... headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
			.header("Accept", "text/event-stream");
		for (int i = 0; i < headers.length; i += 2) {
			request.header(headers[i], headers[i + 1]);
		}
		try {
			return new SseClient(HttpClient.newHttpClient()
				.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
				.get(10, TimeUnit.SECONDS));
		}
		catch (InterruptedException | ExecutionException | TimeoutException ex) {
			throw new IllegalStateException("Could not open " + pathAndQuery, ex);
		}
	}

	private void read() {
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(this.response.body(), StandardCharsets.UTF_8))) {
			String event = "";
			String id = "";
			StringBuilder data = null;
			String line;
			while ((line = lines.readLine()) != null) {
				if (line.isEmpty()) {
					if (data != null) {
						this.events.add(new Event(event.isEmpty() ? "message" : event, id, data.toString()));
					}
					event = "";
					data = null;
					continue;
				}
				if (line.startsWith(":")) {
					this.comments.add(line.substring(1).strip());
					continue;
				}
				int colon = line.indexOf(':');
				String field = (colon < 0) ? line : line.substring(0, colon);
				String value = (colon < 0) ? "" : line.substring(colon + 1);
				if (value.startsWith(" ")) {
					value = value.substring(1);
				}
				switch (field) {
					case "event" -> event = value;
					case "id" -> id = value;
					case "data" -> data = (data == null) ? new StringBuilder(value) : data.append('\n').append(value);
					default -> {
					}
				}
			}
		}
		catch (IOException ex) {
			// closed by close(), or the server went away: either way the stream has ended
		}
		this.ended = true;
	}

	public int status() {
		return this.response.statusCode();
	}

	public Map<String, List<String>> headers() {
		return this.response.headers().map();
	}

	public List<Event> events() {
		return this.events;
	}

	/** The events of one type, e.g. {@code frame}. */
	public List<Event> events(String type) {
		return this.events.stream().filter((e) -> e.event().equals(type)).toList();
	}

	public List<String> comments() {
		return this.comments;
	}

	/** Whether the server ended the stream. */
	public boolean ended() {
		return this.ended;
	}

	@Override
	public void close() {
		try {
			this.response.body().close();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
