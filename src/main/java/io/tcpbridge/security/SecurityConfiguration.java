package io.tcpbridge.security;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

import io.tcpbridge.links.Links;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may do what, with Spring Security's resource server: static tokens
 * ({@code bridge.security.*-tokens}, {@code bridge.security.tokens[i]}) and JWTs (Boot's
 * {@code spring.security.oauth2.resourceserver.jwt.*}, or {@code bridge.security.jwt.hmac-secret}),
 * alone or together, each standing for scopes ({@link Access}) that {@link LinkAuthorization}
 * checks against each request's link. With neither, the bridge is open and the chain
 * matches no request. CORS for the allowed origins.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration implements WebMvcConfigurer {

	private final SecurityProperties properties;

	SecurityConfiguration(SecurityProperties properties) {
		this.properties = properties;
	}

	@Bean
	SecurityFilterChain bridgeSecurity(HttpSecurity http, Links links, ObjectProvider<JwtDecoder> jwtDecoder,
			SecurityProblems problems) throws Exception {
		JwtDecoder jwt = jwtDecoder.getIfAvailable();
		if (!this.properties.hasTokens() && jwt == null) {
			// an open bridge: nothing to check on any request
			return http.securityMatcher((request) -> false).build();
		}
		checkTokenLinks(links);
		AuthenticationManager tokens = tokens(jwt);
		http.csrf((csrf) -> csrf.disable())
			.cors((cors) -> {
			})
			.headers((headers) -> headers.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.anonymous((anonymous) -> {
			})
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers((request) -> RequiredAccess.isOpen(RequiredAccess.pathOf(request))).permitAll()
				.requestMatchers(CorsUtils::isPreFlightRequest).permitAll()
				.anyRequest().access(new LinkAuthorization(links)))
			.oauth2ResourceServer((server) -> server.authenticationManagerResolver((request) -> tokens)
				.bearerTokenResolver(bearerTokens(links))
				.authenticationEntryPoint(problems)
				.accessDeniedHandler(problems))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(problems).accessDeniedHandler(problems));
		return http.build();
	}

	/**
	 * Every refusal of the chain as a problem detail; as the firewall's handler, a path it
	 * refuses ({@code /send;x=1}) too.
	 */
	@Bean
	SecurityProblems requestRejectedHandler(Links links) {
		return new SecurityProblems(links);
	}

	/**
	 * JWTs signed with {@code bridge.security.jwt.hmac-secret}, checked for expiry, and for
	 * Boot's issuer and audiences when they are set; Boot's own decoder backs off for it.
	 */
	@Bean
	@ConditionalOnProperty("bridge.security.jwt.hmac-secret")
	JwtDecoder hmacJwtDecoder(OAuth2ResourceServerProperties resourceServer) {
		byte[] secret = this.properties.jwt().hmacSecret().getBytes(StandardCharsets.UTF_8);
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
			.macAlgorithm(MacAlgorithm.HS256)
			.build();
		List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
		String issuer = resourceServer.getJwt().getIssuerUri();
		validators.add((issuer != null) ? JwtValidators.createDefaultWithIssuer(issuer) : JwtValidators.createDefault());
		List<String> audiences = resourceServer.getJwt().getAudiences();
		if (!audiences.isEmpty()) {
			validators.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
					(aud) -> aud != null && aud.stream().anyMatch(audiences::contains)));
		}
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

	/**
	 * Static tokens first, then the JWT decoder, for a token shaped like a JWT; each token's
	 * scopes become its authorities, as they are.
	 */
	private AuthenticationManager tokens(@Nullable JwtDecoder jwt) {
		StaticTokens tokens = this.properties.hasTokens() ? new StaticTokens(this.properties, jwt != null) : null;
		if (jwt == null) {
			return tokens::authenticate;
		}
		JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
		scopes.setAuthorityPrefix("");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(scopes);
		JwtAuthenticationProvider jwts = new JwtAuthenticationProvider(jwt);
		jwts.setJwtAuthenticationConverter(converter);
		return (authentication) -> {
			Authentication found = (tokens != null) ? tokens.authenticate(authentication) : null;
			return (found != null) ? found : jwts.authenticate(authentication);
		};
	}

	/** {@code Authorization: Bearer}, or {@code ?access_token=} on a stream, where EventSource and WebSocket cannot set headers. */
	private static BearerTokenResolver bearerTokens(Links links) {
		DefaultBearerTokenResolver header = new DefaultBearerTokenResolver();
		DefaultBearerTokenResolver query = new DefaultBearerTokenResolver();
		query.setAllowUriQueryParameter(true);
		return (HttpServletRequest request) -> (HttpMethod.GET.matches(request.getMethod())
				&& RequiredAccess.of(request, links).stream()) ? query.resolve(request) : header.resolve(request);
	}

	private void checkTokenLinks(Links links) {
		List<SecurityProperties.Token> tokens = this.properties.tokens();
		for (int i = 0; i < tokens.size(); i++) {
			for (String link : tokens.get(i).links()) {
				if (!links.names().contains(link)) {
					throw new IllegalStateException("bridge.security.tokens[" + i + "].links names '" + link
							+ "', which is not a link of this bridge; the links are " + links.names());
				}
			}
		}
	}

	@Override
	public void addCorsMappings(CorsRegistry registry) {
		if (!this.properties.allowedOrigins().isEmpty()) {
			registry.addMapping("/**")
				.allowedOrigins(this.properties.allowedOrigins().toArray(String[]::new))
				.allowedMethods("GET", "POST")
				.allowedHeaders("Authorization", "Content-Type", "Last-Event-ID")
				.exposedHeaders("Retry-After", "Frame-Id");
		}
	}

}
