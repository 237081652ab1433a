package io.tcpbridge.web;

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
class ConnectionController {

	private final UpstreamLink link;

	ConnectionController(UpstreamLink link) {
		this.link = link;
	}

	@GetMapping
	LinkStatus status() {
		return this.link.status();
	}

	/** Closes the link and keeps it closed. */
	@PostMapping("/stop")
	LinkStatus stop() {
		this.link.stop();
		return this.link.status();
	}

	/** Opens a stopped link. */
	@PostMapping("/start")
	LinkStatus start() {
		this.link.start();
		return this.link.status();
	}

	/** Replaces the connection now, without waiting out the backoff. */
	@PostMapping("/reconnect")
	LinkStatus reconnect() {
		this.link.reconnect();
		return this.link.status();
	}

}
