package io.tcpbridge.cluster;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.hibernate.validator.constraints.time.DurationMin;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Whether the bridge runs alone or as one of several replicas, and how the replicas find
 * each other. Redis itself is named by Spring Boot's {@code spring.data.redis.*}.
 *
 * @param mode {@code none}: this process alone, everything in memory; {@code redis}: one of
 * several replicas sharing Redis, where one leader at a time holds each link
 * @param name the prefix of every Redis key of this cluster: bridges that share a Redis and
 * a name are one cluster
 * @param lockTtl how long a leader's hold on a link lasts without renewal: after its leader
 * dies, a link is taken over within this and two seconds
 * @param nodeId how this replica is named in the links' state and in Redis; by default the
 * host's name and a random suffix
 * @param advertisedUrl where the other replicas reach this one's HTTP port, to hand it the
 * sends for the links it leads; by default {@code http://<host name>:<server.port>}
 */
@Validated
@ConfigurationProperties("bridge.cluster")
public record ClusterProperties(@DefaultValue("none") @NotNull Mode mode,
		@DefaultValue("tcp-bridge") @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]{0,62}") String name,
		@DefaultValue("10s") @NotNull @DurationMin(seconds = 1) Duration lockTtl,
		@Nullable String nodeId, @Nullable URI advertisedUrl) {

	/** The node id as given, or the host's name and a random suffix. */
	public String nodeIdOrDefault() {
		if (this.nodeId != null && !this.nodeId.isBlank()) {
			return this.nodeId;
		}
		return hostName() + "-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
	}

	/** The advertised URL as given, or the host's name and the server's port. */
	public URI advertisedUrlOr(int serverPort) {
		return (this.advertisedUrl != null) ? this.advertisedUrl : URI.create("http://" + hostName() + ":" + serverPort);
	}

	private static String hostName() {
		try {
			return InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
		}
		catch (UnknownHostException ex) {
			return "localhost";
		}
	}

	/** How the bridge runs. */
	public enum Mode {

		/** This process alone: links, history and streams in its memory. */
		NONE,

		/** One replica of several on Redis: one leader per link, one shared stream per link. */
		REDIS

	}

}
