package io.tcpbridge.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.tcpbridge.TcpBridgeApplication;
import io.tcpbridge.links.Link;
import io.tcpbridge.links.LinkProperties;
import io.tcpbridge.links.Links;
import io.tcpbridge.upstream.LinkState;
import io.tcpbridge.upstream.UpstreamLink;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.awaitility.Awaitility.await;

/**
 * The whole application, started in this JVM on a free HTTP port, for tests that need a
 * bridge of their own: several framing modes, a shutdown, a failed start.
 */
public final class RunningBridge implements AutoCloseable {

	private final ConfigurableApplicationContext context;

	private final List<byte[]> received = new CopyOnWriteArrayList<>();

	private RunningBridge(ConfigurableApplicationContext context) {
		this.context = context;
		Links links = context.getBean(Links.class);
		if (links.names().size() == 1 || links.names().contains(LinkProperties.DEFAULT)) {
			links.defaultLink().upstream().frames().subscribe((message) -> this.received.add((byte[]) message.getPayload()));
		}
	}

	/**
	 * Starts a bridge, without the demo upstream unless the properties turn it on. All
	 * properties go on the command line, which outranks application.yml; the caller's win
	 * over these defaults.
	 */
	public static RunningBridge start(String... properties) {
		Map<String, String> arguments = new LinkedHashMap<>();
		arguments.put("server.port", "0");
		arguments.put("bridge.demo.enabled", "false");
		if (Arrays.stream(properties).noneMatch((property) -> property.startsWith("bridge.links."))) {
			arguments.put("bridge.upstream.reconnect.initial-delay", "50ms");
			arguments.put("bridge.upstream.reconnect.max-delay", "500ms");
		}
		for (String property : properties) {
			int equals = property.indexOf('=');
			arguments.put(property.substring(0, equals), property.substring(equals + 1));
		}
		return new RunningBridge(new SpringApplicationBuilder(TcpBridgeApplication.class)
			.run(arguments.entrySet().stream().map((e) -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new)));
	}

	/** Starts a bridge connected to the test upstream and waits until the link is up. */
	public static RunningBridge connectedTo(TestUpstream upstream, String... properties) {
		List<String> all = new ArrayList<>(List.of(properties));
		all.add("bridge.upstream.port=" + upstream.port());
		RunningBridge bridge = start(all.toArray(String[]::new));
		bridge.awaitState(LinkState.CONNECTED);
		return bridge;
	}

	/** The default link's connection. */
	public UpstreamLink link() {
		return links().defaultLink().upstream();
	}

	/** The link of that name. */
	public Link link(String name) {
		return links().get(name);
	}

	public Links links() {
		return this.context.getBean(Links.class);
	}

	public void awaitState(LinkState state) {
		await().atMost(Duration.ofSeconds(10)).until(() -> link().status().state() == state);
	}

	/** Every frame the bridge received from the default link's upstream, in order. */
	public List<byte[]> received() {
		return this.received;
	}

	/** The HTTP port it listens on. */
	public int port() {
		return ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	public RestTestClient http() {
		return RestTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port()).build();
	}

	public ConfigurableApplicationContext context() {
		return this.context;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
