package io.tcpbridge.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's), collecting whole messages: binary ones as bytes, text
 * ones as strings, in the order they came.
 */
public final class WebSocketClient implements WebSocket.Listener, AutoCloseable {

	/** One whole message. */
	public record Message(boolean binary, byte[] bytes, String text) {
	}

	private final List<Message> messages = new CopyOnWriteArrayList<>();

	private final ByteArrayOutputStream binaryPart = new ByteArrayOutputStream();

	private final StringBuilder textPart = new StringBuilder();

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private volatile String closeReason;

	private WebSocket socket;

	/** Connects to {@code ws://127.0.0.1:port<pathAndQuery>}. */
	public static WebSocketClient connect(int port, String pathAndQuery) {
		WebSocketClient client = new WebSocketClient();
		try {
			client.socket = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), client)
				.get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not connect to " + pathAndQuery, ex);
		}
		return client;
	}

	@Override
	public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
		byte[] bytes = new byte[data.remaining()];
		data.get(bytes);
		synchronized (this.binaryPart) {
			this.binaryPart.writeBytes(bytes);
			if (last) {
				this.messages.add(new Message(true, this.binaryPart.toByteArray(), null));
				this.binaryPart.reset();
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
		synchronized (this.textPart) {
			this.textPart.append(data);
			if (last) {
				this.messages.add(new Message(false, null, this.textPart.toString()));
				this.textPart.setLength(0);
			}
		}
		webSocket.request(1);
		return null;
	}

	@Override
	public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
		this.closeReason = reason;
		this.closeCode.complete(statusCode);
		return null;
	}

	@Override
	public void onError(WebSocket webSocket, Throwable error) {
		this.closeCode.completeExceptionally(error);
	}

	public List<Message> messages() {
		return this.messages;
	}

	public List<Message> binaryMessages() {
		return this.messages.stream().filter(Message::binary).toList();
	}

	public List<Message> textMessages() {
		return this.messages.stream().filter((m) -> !m.binary()).toList();
	}

	public void sendText(String text) {
		this.socket.sendText(text, true).join();
	}

	public void sendBinary(byte[] bytes) {
		this.socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
	}

	/** The close code the server sent, once it closed; {@code null} while open. */
	public Integer closeCode() {
		return this.closeCode.isDone() && !this.closeCode.isCompletedExceptionally() ? this.closeCode.join() : null;
	}

	public String closeReason() {
		return this.closeReason;
	}

	@Override
	public void close() {
		if (!this.socket.isOutputClosed()) {
			this.socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
		}
		this.socket.abort();
	}

}
