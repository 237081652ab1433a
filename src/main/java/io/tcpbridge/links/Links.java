package io.tcpbridge.links;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Every link the bridge holds, by name, in the order of their names.
 */
public class Links {

	/**
	 * The phase of the context's start and stop in which the links connect, whoever opens
	 * them: after the web server and the demo upstream start; stopped after the web
	 * server's graceful shutdown has let requests in flight finish, and before it stops.
	 */
	public static final int CONNECTIONS_PHASE = SmartLifecycle.DEFAULT_PHASE - 1536;

	private final Map<String, Link> byName = new LinkedHashMap<>();

	Links(Collection<Link> links) {
		links.forEach((link) -> this.byName.put(link.name(), link));
	}

	public Collection<Link> all() {
		return Collections.unmodifiableCollection(this.byName.values());
	}

	public Collection<String> names() {
		return Collections.unmodifiableSet(this.byName.keySet());
	}

	/**
	 * The link of that name.
	 * @throws UnknownLinkException when there is none
	 */
	public Link get(String name) {
		Link link = this.byName.get(name);
		if (link == null) {
			throw new UnknownLinkException("There is no link named '" + name + "'; the links are " + this.byName.keySet(),
					names());
		}
		return link;
	}

	/**
	 * The link that today's routes ({@code /stream}, {@code /ws}, {@code /send},
	 * {@code /api/connection}) serve: the one named {@code default}, or the only link.
	 * @throws UnknownLinkException when there are several and none is named {@code default}
	 */
	public Link defaultLink() {
		Link named = this.byName.get(LinkProperties.DEFAULT);
		if (named != null) {
			return named;
		}
		if (this.byName.size() == 1) {
			return this.byName.values().iterator().next();
		}
		throw new UnknownLinkException("This bridge holds several links and none named 'default', so this route "
				+ "serves none: use /links/{name}/... (or /api/links/{name}) with one of " + this.byName.keySet(), names());
	}

	/** The link of that name, or the default link for {@code null}. */
	public Link resolve(@Nullable String name) {
		return (name != null) ? get(name) : defaultLink();
	}

}
