package io.tcpbridge.web;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkControl;
import io.tcpbridge.links.LinkStatuses;
import io.tcpbridge.links.Links;
import io.tcpbridge.security.ReadableLinks;
import io.tcpbridge.upstream.LinkStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Each link's state, and the operator's controls: the classic client's Start and Stop, and a
 * reconnect that replaces the connection. {@code /api/links/{name}} for every link;
 * {@code /api/connection} for the default link, as before there were several.
 */
@RestController
@Tag(name = "Links", description = "The links to the upstreams, and the operator's controls")
class ConnectionController {

	private final Links links;

	private final LinkControl control;

	private final LinkStatuses statuses;

	ConnectionController(Links links, LinkControl control, LinkStatuses statuses) {
		this.links = links;
		this.control = control;
		this.statuses = statuses;
	}

	@Operation(summary = "Every link, with its state, traffic and subscribers",
			description = "Only the links the token may read, where tokens are for some links only")
	@GetMapping("/api/links")
	LinksView all() {
		return new LinksView(this.links.all()
			.stream()
			.filter((link) -> ReadableLinks.mayRead(link.name()))
			.map(this::view)
			.toList());
	}

	@Operation(summary = "A link's state, traffic and subscribers")
	@ApiResponse(responseCode = "200", description = "The link")
	@ApiResponse(responseCode = "404", description = "No such link (the problem lists the links); or, on "
			+ "/api/connection, several links and none named default")
	@GetMapping({ "/api/links/{link}", "/api/connection" })
	ConnectionView status(@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link) {
		return view(this.links.resolve(link));
	}

	/** Closes the link and keeps it closed. */
	@Operation(summary = "Close the link and keep it closed (the classic client's Stop)")
	@PostMapping({ "/api/links/{link}/stop", "/api/connection/stop" })
	ConnectionView stop(@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link) {
		Link stopped = this.links.resolve(link);
		this.control.stop(stopped);
		return view(stopped);
	}

	/** Opens a stopped link. */
	@Operation(summary = "Open a stopped link (the classic client's Start)")
	@PostMapping({ "/api/links/{link}/start", "/api/connection/start" })
	ConnectionView start(@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link) {
		Link started = this.links.resolve(link);
		this.control.start(started);
		return view(started);
	}

	/** Replaces the connection now, without waiting out the backoff. */
	@Operation(summary = "Replace the connection now, without waiting out the backoff")
	@ApiResponse(responseCode = "200", description = "Reconnecting")
	@ApiResponse(responseCode = "409", description = "The link is stopped; start it instead")
	@PostMapping({ "/api/links/{link}/reconnect", "/api/connection/reconnect" })
	ConnectionView reconnect(
			@Parameter(description = "the link's name") @PathVariable(required = false) @Nullable String link) {
		Link reconnecting = this.links.resolve(link);
		this.control.reconnect(reconnecting);
		return view(reconnecting);
	}

	private ConnectionView view(Link link) {
		return new ConnectionView(this.statuses.of(link), link.hub().subscriberCounts(), link.hub().slowConsumerDrops());
	}

	/**
	 * A link's status, and who is subscribed.
	 *
	 * @param link the link's fields, inline
	 * @param subscribers subscribers by transport: {@code sse}, {@code websocket}
	 * @param subscriberFramesDropped frames that subscribers lost for not keeping up, since start
	 */
	record ConnectionView(@JsonUnwrapped LinkStatus link, Map<String, Integer> subscribers,
			long subscriberFramesDropped) {
	}

	/**
	 * Every link of the bridge.
	 *
	 * @param links each link, as {@code GET /api/links/{name}} gives it, in the order of their names
	 */
	record LinksView(List<ConnectionView> links) {
	}

}
