package io.tcpbridge.cluster;

import java.net.URI;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * This replica: its node id, and where the others reach its HTTP port, which is known for
 * certain once the web server has started on it.
 */
final class ClusterNode implements ApplicationListener<WebServerInitializedEvent> {

	private final String id;

	private final ClusterProperties properties;

	private volatile String url;

	ClusterNode(ClusterProperties properties, int configuredPort) {
		this.id = properties.nodeIdOrDefault();
		this.properties = properties;
		this.url = urlOf(properties.advertisedUrlOr(configuredPort));
	}

	String id() {
		return this.id;
	}

	/** Where the others send this replica the sends of the links it holds, without a trailing slash. */
	String url() {
		return this.url;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (this.properties.advertisedUrl() == null && event.getApplicationContext().getParent() == null) {
			this.url = urlOf(this.properties.advertisedUrlOr(event.getWebServer().getPort()));
		}
	}

	private static String urlOf(URI uri) {
		String text = uri.toString();
		return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
	}

}
