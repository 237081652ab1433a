package io.tcpbridge.links;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.tcpbridge.framing.FramingProperties;
import io.tcpbridge.reply.ReplyProperties;
import io.tcpbridge.stream.StreamProperties;
import io.tcpbridge.upstream.UpstreamProperties;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.bind.validation.ValidationBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.validation.Validator;

/**
 * Reads which links the bridge holds. With {@code bridge.links.<name>.*}, one link per
 * name, each bound and validated on its own, its errors naming its own properties; a
 * link's {@code stream.*} takes what it leaves out from {@code bridge.stream.*}. Without,
 * today's keys make the one link {@code default}. Both at once is refused: a setting that
 * applies to no link would be set in vain.
 */
final class LinkDefinitions {

	private static final ConfigurationPropertyName LINKS = ConfigurationPropertyName.of("bridge.links");

	private static final String WRITTEN_PREFIX = "bridge.links.";

	/** Today's keys in a message of a record that knows no other, not {@code io.tcpbridge.framing.*}. */
	private static final Pattern TODAYS_KEYS = Pattern.compile("(?<![\\w.])bridge\\.(upstream|framing|reply|stream)\\.");

	private static final ConfigurationPropertyName STREAM = ConfigurationPropertyName.of("bridge.stream");

	/** Today's keys of one link; {@code bridge.stream} stays, as every link's default. */
	private static final List<String> SINGLE_LINK_GROUPS = List.of("upstream", "framing", "reply");

	/** Settings of the HTTP side, which no link can have one of its own. */
	private static final List<String> BRIDGE_WIDE = List.of("stream.socket-send-buffer");

	private final ConfigurableEnvironment environment;

	private final BindHandler validation;

	private LinkDefinitions(ConfigurableEnvironment environment, Validator validator) {
		this.environment = environment;
		this.validation = new ValidationBindHandler(validator);
	}

	/**
	 * The links, by name; the single link's settings are those Boot bound from today's keys.
	 */
	static List<LinkProperties> read(ConfigurableEnvironment environment, Validator validator,
			UpstreamProperties upstream, FramingProperties framing, ReplyProperties reply, StreamProperties stream) {
		LinkDefinitions definitions = new LinkDefinitions(environment, validator);
		Set<String> names = definitions.linkNames();
		if (names.isEmpty()) {
			return List.of(new LinkProperties(LinkProperties.DEFAULT, "bridge", upstream, framing, reply, stream));
		}
		definitions.refuseSingleLinkKeys(names);
		List<LinkProperties> links = new ArrayList<>();
		for (String name : names) {
			links.add(definitions.bind(name));
		}
		return links;
	}

	private static void checkName(String name) {
		if (!LinkProperties.NAME.matcher(name).matches()) {
			throw new LinkSettingException("'" + name + "' in " + WRITTEN_PREFIX + name + " is not a link name: a name "
					+ "is 1 to 63 lower-case letters, digits and dashes, starting with a letter or digit, since it goes "
					+ "into paths, meters and frame ids");
		}
	}

	private LinkProperties bind(String name) {
		checkName(name);
		String prefix = LINKS.append(name).toString();
		for (String property : BRIDGE_WIDE) {
			if (isSet(ConfigurationPropertyName.of(prefix + "." + property))) {
				throw new LinkSettingException(prefix + "." + property + " is not a setting of a link: it applies to "
						+ "the whole bridge, as bridge." + property);
			}
		}
		Binder own = Binder.get(this.environment);
		List<ConfigurationPropertySource> sources = new ArrayList<>();
		ConfigurationPropertySources.get(this.environment).forEach(sources::add);
		sources.add(new Inherited(ConfigurationPropertyName.of(prefix + ".stream"), STREAM, List.copyOf(sources)));
		Binder inheriting = new Binder(sources, new PropertySourcesPlaceholdersResolver(this.environment));
		return new LinkProperties(name, prefix, bind(own, prefix, "upstream", UpstreamProperties.class),
				bind(own, prefix, "framing", FramingProperties.class), bind(own, prefix, "reply", ReplyProperties.class),
				bind(inheriting, prefix, "stream", StreamProperties.class));
	}

	/** Binds one group, its messages naming the link's properties rather than today's keys. */
	private <T> T bind(Binder binder, String prefix, String group, Class<T> type) {
		try {
			return binder.bindOrCreate(prefix + "." + group, Bindable.of(type), this.validation);
		}
		catch (BindException ex) {
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
			if (!(cause instanceof IllegalArgumentException) || cause.getMessage() == null
					|| !TODAYS_KEYS.matcher(cause.getMessage()).find()) {
				throw ex;
			}
			String reason = TODAYS_KEYS.matcher(cause.getMessage()).replaceAll(Matcher.quoteReplacement(prefix) + ".$1.");
			throw new LinkSettingException("Failed to bind the properties under '" + ex.getName() + "': " + reason, ex);
		}
	}

	/**
	 * Every name under {@code bridge.links}, in order. Checked as written first: Boot's
	 * relaxed names would bind {@code -plc} as {@code plc}.
	 */
	private Set<String> linkNames() {
		for (PropertySource<?> source : this.environment.getPropertySources()) {
			if (source instanceof EnumerablePropertySource<?> enumerable) {
				for (String property : enumerable.getPropertyNames()) {
					if (property.startsWith(WRITTEN_PREFIX)) {
						String name = property.substring(WRITTEN_PREFIX.length()).split("[.\\[]", 2)[0];
						checkName(name);
					}
				}
			}
		}
		Set<String> names = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter((name) -> LINKS.isAncestorOf(name) && name.getNumberOfElements() > 3)
					.forEach((name) -> names.add(name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL)));
			}
		}
		return names;
	}

	private void refuseSingleLinkKeys(Set<String> names) {
		Set<String> set = new TreeSet<>();
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source instanceof IterableConfigurationPropertySource iterable) {
				iterable.stream()
					.filter((name) -> SINGLE_LINK_GROUPS.stream()
						.anyMatch((group) -> ConfigurationPropertyName.of("bridge." + group).isAncestorOf(name)))
					.forEach((name) -> set.add(name.toString()));
			}
		}
		if (!set.isEmpty()) {
			throw new LinkSettingException("bridge.links (" + String.join(", ", names) + ") is set, and so is "
					+ String.join(", ", set) + ". Those keys define the one link of a bridge without bridge.links; "
					+ "with it, set them per link, as bridge.links.<name>.upstream|framing|reply.*");
		}
	}

	private boolean isSet(ConfigurationPropertyName name) {
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
			if (source.getConfigurationProperty(name) != null) {
				return true;
			}
		}
		return false;
	}

	/** A link's {@code stream.*}, for what the link leaves out: the same property under {@code bridge.stream}. */
	private record Inherited(ConfigurationPropertyName own, ConfigurationPropertyName from,
			List<ConfigurationPropertySource> sources) implements ConfigurationPropertySource {

		@Override
		public @Nullable ConfigurationProperty getConfigurationProperty(ConfigurationPropertyName name) {
			if (!this.own.isAncestorOf(name)) {
				return null;
			}
			ConfigurationPropertyName inherited = this.from.append(name.subName(this.own.getNumberOfElements()));
			for (ConfigurationPropertySource source : this.sources) {
				ConfigurationProperty property = source.getConfigurationProperty(inherited);
				if (property != null) {
					return new ConfigurationProperty(name, property.getValue(), property.getOrigin());
				}
			}
			return null;
		}

	}

}
