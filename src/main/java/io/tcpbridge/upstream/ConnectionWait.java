package io.tcpbridge.upstream;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lets a send wait a while for the link to come back ({@code POST /send?wait=5s}) rather
 * than be refused at once while it reconnects. A stopped link makes no attempt until it is
 * started, so nothing waits for it.
 */
public class ConnectionWait {

	private final UpstreamLink link;

	// the next connect, for whoever waits for it; a new one after each
	private volatile CompletableFuture<Void> connected = new CompletableFuture<>();

	public ConnectionWait(UpstreamLink link) {
		this.link = link;
		link.onStateChanged(this::onLinkStateChanged);
	}

	/**
	 * Returns once the link is connected, or when {@code wait} has passed or the link is
	 * stopped, whichever comes first; the send that follows tells which.
	 */
	public void await(Duration wait) throws InterruptedException {
		CompletableFuture<Void> next = this.connected;
		LinkState state = this.link.status().state();
		if (state == LinkState.CONNECTED || state == LinkState.STOPPED) {
			return;
		}
		try {
			next.get(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			// the send that follows answers 503
		}
	}

	private void onLinkStateChanged(LinkStateChangedEvent event) {
		if (event.state() == LinkState.CONNECTED || event.state() == LinkState.STOPPED) {
			CompletableFuture<Void> done = this.connected;
			this.connected = new CompletableFuture<>();
			done.complete(null);
		}
	}

}
