package io.tcpbridge.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpbridge.links.Link;
import io.tcpbridge.links.Links;
import io.tcpbridge.links.UnknownLinkException;
import io.tcpbridge.problem.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code POST /send} and {@code POST /links/{name}/send} on a replica that does not hold the
 * link: handed as they are, with the caller's credentials, to the replica that does, at the
 * address it advertises, and its answer handed back as it is: the same {@code 200} once the
 * holder wrote the frame, the same reply, the same problems. Forwarding over HTTP keeps one
 * path for every option of a send, on the holder, instead of a second one through Redis.
 *
 * <p>No thread waits: the holder's answer comes on the HTTP client's own, and is written
 * back to the caller as its socket takes it. A request that was handed on once is never
 * handed on again, so two replicas that each think the other holds the link cannot pass a
 * send back and forth.
 */
final class SendForwarding extends OncePerRequestFilter {

	/** Names the replica that handed the request on. */
	static final String FORWARDED_BY = "Bridge-Forwarded-By";

	private static final Pattern SEND = Pattern.compile("/(?:links/([a-z0-9][a-z0-9-]{0,62})/)?send");

	private static final List<String> REQUEST_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT,
			HttpHeaders.AUTHORIZATION);

	private static final List<String> ANSWER_HEADERS = List.of(HttpHeaders.CONTENT_TYPE, HttpHeaders.RETRY_AFTER,
			"Frame-Id");

	/** Room for the largest frame as JSON, in hex, with the fields around it. */
	private static final int JSON_OVERHEAD = 1024;

	private static final Duration BEYOND_ITS_WAITS = Duration.ofSeconds(10);

	private final Links links;

	private final ClusterLinks cluster;

	private final HttpClient http;

	SendForwarding(Links links, ClusterLinks cluster) {
		this.links = links;
		this.cluster = cluster;
		this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getHeader(FORWARDED_BY) != null
				|| !SEND.matcher(path(request)).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Matcher send = SEND.matcher(path(request));
		Link link;
		try {
			link = send.matches() ? this.links.resolve(send.group(1)) : null;
		}
		catch (UnknownLinkException ex) {
			link = null;
		}
		ClusterLink held = (link != null) ? this.cluster.get(link.name()) : null;
		if (held == null || held.leadership().leads()) {
			chain.doFilter(request, response);
			return;
		}
		StateEntry holder = held.tail().latestState();
		if (holder == null || holder.node().equals(this.cluster.node().id())) {
			response.setHeader(HttpHeaders.RETRY_AFTER, "1");
			Problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, "No replica holds the link",
					"No replica holds link " + link.name() + " now; nothing was sent. Try again shortly.");
			return;
		}
		int limit = link.codec().maxFrameSize() * 2 + JSON_OVERHEAD;
		byte[] body = request.getInputStream().readNBytes(limit + 1);
		if (body.length > limit) {
			Problems.write(response, HttpStatus.CONTENT_TOO_LARGE, "Frame too large", "The body has more than " + limit
					+ " bytes, more than link " + link.name() + " takes in any form; nothing was sent");
			return;
		}
		forward(request, response, body, holder, link.name());
	}

	private void forward(HttpServletRequest request, HttpServletResponse response, byte[] body, StateEntry holder,
			String link) {
		String query = request.getQueryString();
		HttpRequest.Builder forwarded = HttpRequest
			.newBuilder(URI.create(holder.url() + request.getRequestURI() + ((query != null) ? "?" + query : "")))
			.timeout(timeout(request))
			.header(FORWARDED_BY, this.cluster.node().id())
			.POST(HttpRequest.BodyPublishers.ofByteArray(body));
		for (String name : REQUEST_HEADERS) {
			String value = request.getHeader(name);
			if (value != null) {
				forwarded.header(name, value);
			}
		}
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		this.http.sendAsync(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray())
			.whenComplete((answer, failure) -> {
				if (answer != null) {
					response.setStatus(answer.statusCode());
					for (String name : ANSWER_HEADERS) {
						answer.headers().firstValue(name).ifPresent((value) -> response.setHeader(name, value));
					}
					write(async, response, answer.body());
				}
				else {
					response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
					response.setContentType("application/problem+json");
					response.setHeader(HttpHeaders.RETRY_AFTER, "1");
					write(async, response, Problems.json(HttpStatus.SERVICE_UNAVAILABLE, "Link holder unreachable",
							"Replica " + holder.node() + " holds link " + link + " and did not answer at " + holder.url()
									+ " (" + ClusterFaults.describe(failure) + "); the frame may not have been sent"));
				}
			});
	}

	/** Writes the answer as the caller's socket takes it, then completes the request. */
	private static void write(AsyncContext async, HttpServletResponse response, byte[] body) {
		try {
			response.setContentLength(body.length);
			ServletOutputStream out = response.getOutputStream();
			out.setWriteListener(new WriteListener() {

				private boolean written;

				@Override
				public void onWritePossible() throws IOException {
					if (!this.written) {
						this.written = true;
						out.write(body);
					}
					if (out.isReady()) {
						async.complete();
					}
				}

				@Override
				public void onError(Throwable failure) {
					async.complete();
				}

			});
		}
		catch (IOException | IllegalStateException ex) {
			async.complete();
		}
	}

	/** The request's own waits, and ten seconds beyond them for the holder to answer. */
	private static Duration timeout(HttpServletRequest request) {
		return BEYOND_ITS_WAITS.plus(duration(request.getParameter("timeout"), Duration.ofSeconds(5)))
			.plus(duration(request.getParameter("wait"), Duration.ZERO));
	}

	private static Duration duration(@Nullable String value, Duration otherwise) {
		if (value == null) {
			return otherwise;
		}
		try {
			return DurationStyle.detectAndParse(value);
		}
		catch (IllegalArgumentException ex) {
			// the holder says what is wrong with it
			return otherwise;
		}
	}

	private static String path(HttpServletRequest request) {
		return request.getRequestURI().substring(request.getContextPath().length());
	}

}
