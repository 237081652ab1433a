package io.tcpbridge.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.tcpbridge.stream.FrameHub;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.HashOperations;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * What Redis holds of one link besides its stream: the run its frames' ids are in, the
 * number of its latest frame, its latest state, who holds its lock, and an operator's
 * intent to keep it stopped.
 */
final class LinkMeta {

	static final String STOPPED = "stopped";

	private final String link;

	private final LinkKeys keys;

	private final StringRedisTemplate redis;

	LinkMeta(String link, LinkKeys keys, StringRedisTemplate redis) {
		this.link = link;
		this.keys = keys;
		this.redis = redis;
	}

	LinkKeys keys() {
		return this.keys;
	}

	/**
	 * Where the link's stream stands, begun here when it is new: its run is made once, by
	 * whichever replica comes first, and lasts as long as Redis keeps the link's hash.
	 */
	Place join() {
		HashOperations<String, String, String> hash = this.redis.opsForHash();
		hash.putIfAbsent(this.keys.meta(), "run", FrameHub.newRun(this.link));
		Map<String, String> fields = hash.entries(this.keys.meta());
		String state = fields.get("state");
		return new Place(fields.get("run"), Long.parseLong(fields.getOrDefault("seq", "0")),
				(state != null) ? StateEntry.decode(state.getBytes(StandardCharsets.UTF_8)) : null);
	}

	/** Who holds the link's lock: the owner the append script checks. */
	@Nullable String lockOwner() {
		return this.redis.opsForValue().get(this.keys.lock());
	}

	/** Whether an operator keeps the link stopped, whichever replica they asked. */
	boolean keptStopped() {
		return STOPPED.equals(this.redis.opsForValue().get(this.keys.intent()));
	}

	/** Keeps the link stopped, or lets it run again. */
	void keepStopped(boolean stopped) {
		if (stopped) {
			this.redis.opsForValue().set(this.keys.intent(), STOPPED);
		}
		else {
			this.redis.delete(this.keys.intent());
		}
	}

	/**
	 * Where a link's stream stands.
	 *
	 * @param run the run of its ids
	 * @param seq the number of its latest frame; 0 before the first
	 * @param state its latest state, as its last leader told it
	 */
	record Place(String run, long seq, @Nullable StateEntry state) {
	}

}
