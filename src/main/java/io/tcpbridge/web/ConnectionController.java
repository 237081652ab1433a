package io.tcpbridge.web;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tcpbridge.stream.FrameHub;
import io.tcpbridge.upstream.LinkStatus;
import io.tcpbridge.upstream.UpstreamLink;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The link's state, and the operator's controls: the classic client's Start and Stop, and a
 * reconnect that replaces the connection.
 */
@RestController
@RequestMapping("/api/connection")
@Tag(name = "Connection", description = "The link to the upstream, and the operator's controls")
class ConnectionController {

	private final UpstreamLink link;

	private final FrameHub hub;

	ConnectionController(UpstreamLink link, FrameHub hub) {
		this.link = link;
		this.hub = hub;
	}

	@Operation(summary = "The link's state, traffic and subscribers")
	@GetMapping
	ConnectionView status() {
		return new ConnectionView(this.link.status(), this.hub.subscriberCounts(), this.hub.slowConsumerDrops());
	}

	/** Closes the link and keeps it closed. */
	@Operation(summary = "Close the link and keep it closed (the classic client's Stop)")
	@PostMapping("/stop")
	ConnectionView stop() {
		this.link.stop();
		return status();
	}

	/** Opens a stopped link. */
	@Operation(summary = "Open a stopped link (the classic client's Start)")
	@PostMapping("/start")
	ConnectionView start() {
		this.link.start();
		return status();
	}

	/** Replaces the connection now, without waiting out the backoff. */
	@Operation(summary = "Replace the connection now, without waiting out the backoff")
	@ApiResponse(responseCode = "200", description = "Reconnecting")
	@ApiResponse(responseCode = "409", description = "The link is stopped; start it instead")
	@PostMapping("/reconnect")
	ConnectionView reconnect() {
		this.link.reconnect();
		return status();
	}

	/**
	 * The link's status, and who is subscribed.
	 *
	 * @param link the link's fields, inline
	 * @param subscribers subscribers by transport: {@code sse}, {@code websocket}
	 * @param subscriberFramesDropped frames that subscribers lost for not keeping up, since start
	 */
	record ConnectionView(@JsonUnwrapped LinkStatus link, Map<String, Integer> subscribers,
			long subscriberFramesDropped) {
	}

}
