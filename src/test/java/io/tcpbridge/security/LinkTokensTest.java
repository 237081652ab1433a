package io.tcpbridge.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.support.SseClient;
import io.tcpbridge.support.TestUpstream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tokens for some links only, static and JWT at once: a token reads, sends to and controls
 * the links its scopes name and no other; a JWT that is expired, wrongly signed, for another
 * audience or without the scope is refused with a problem that says which.
 */
class LinkTokensTest {

	private static final String SECRET = "a secret of at least thirty-two bytes, for HS256";

	private static final Duration WAIT = Duration.ofSeconds(10);

	private static TestUpstream upstreamA;

	private static TestUpstream upstreamB;

	private static RunningBridge bridge;

	private static RestTestClient http;

	@BeforeAll
	static void twoLinksWithTokens() {
		upstreamA = TestUpstream.onFreePort();
		upstreamB = TestUpstream.onFreePort();
		bridge = RunningBridge.start("bridge.links.a.upstream.port=" + upstreamA.port(),
				"bridge.links.b.upstream.port=" + upstreamB.port(), "bridge.security.tokens[0].value=a-reader",
				"bridge.security.tokens[0].access=read", "bridge.security.tokens[0].links=a",
				"bridge.security.tokens[1].value=b-writer", "bridge.security.tokens[1].access=write",
				"bridge.security.tokens[1].links=b", "bridge.security.write-tokens=all-writer",
				"bridge.security.jwt.hmac-secret=" + SECRET,
				"spring.security.oauth2.resourceserver.jwt.audiences=tcp-bridge");
		http = bridge.http();
		await().atMost(WAIT).until(() -> bridge.link("a").upstream().isConnected()
				&& bridge.link("b").upstream().isConnected());
	}

	@AfterAll
	static void close() {
		bridge.close();
		upstreamA.close();
		upstreamB.close();
	}

	@Test
	void aTokenForOneLinkReadsThatLinkOnly() {
		try (SseClient stream = SseClient.open(bridge.port(), "/links/a/stream?access_token=a-reader")) {
			assertThat(stream.status()).isEqualTo(200);
		}
		http.get().uri("/api/links/a").header("Authorization", "Bearer a-reader").exchange().expectStatus().isOk();
		http.get().uri("/api/links/b").header("Authorization", "Bearer a-reader").exchange()
			.expectStatus().isForbidden().expectBody()
			.jsonPath("$.title").isEqualTo("Not allowed")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("read link b")
				.contains("bridge:read:b"));
		http.post().uri("/links/a/send").header("Authorization", "Bearer a-reader").contentType(MediaType.TEXT_PLAIN)
			.body("no").exchange().expectStatus().isForbidden().expectBody()
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("write token"));
		http.get().uri("/api/links").header("Authorization", "Bearer a-reader").exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.links[*].name").isEqualTo(List.of("a"));
		http.get().uri("/actuator/prometheus").header("Authorization", "Bearer a-reader").exchange()
			.expectStatus().isForbidden();
	}

	@Test
	void aWriteTokenForOneLinkSendsToAndControlsThatLinkOnly() {
		int before = upstreamB.latest().received().length;
		int beforeA = upstreamA.latest().received().length;
		http.post().uri("/links/b/send").header("Authorization", "Bearer b-writer").contentType(MediaType.TEXT_PLAIN)
			.body("to b").exchange().expectStatus().isOk();
		await().atMost(WAIT).until(() -> upstreamB.latest().received().length == before + 5);
		http.post().uri("/links/a/send").header("Authorization", "Bearer b-writer").contentType(MediaType.TEXT_PLAIN)
			.body("to a").exchange().expectStatus().isForbidden();
		http.post().uri("/api/links/a/reconnect").header("Authorization", "Bearer b-writer").exchange()
			.expectStatus().isForbidden();
		http.get().uri("/api/links").header("Authorization", "Bearer b-writer").exchange()
			.expectBody().jsonPath("$.links[*].name").isEqualTo(List.of("b"));
		http.get().uri("/api/links").header("Authorization", "Bearer all-writer").exchange()
			.expectBody().jsonPath("$.links[*].name").isEqualTo(List.of("a", "b"));
		assertThat(upstreamA.latest().received()).hasSize(beforeA);
	}

	@Test
	void aJwtWithTheScopeOfALinkSendsToItAndNotToAnother() throws JOSEException {
		String token = hmac(claims("bridge:write:a").build(), SECRET);
		http.post().uri("/links/a/send").header("Authorization", "Bearer " + token).contentType(MediaType.TEXT_PLAIN)
			.body("jwt").exchange().expectStatus().isOk();
		http.post().uri("/links/b/send").header("Authorization", "Bearer " + token).contentType(MediaType.TEXT_PLAIN)
			.body("jwt").exchange().expectStatus().isForbidden().expectBody()
			.jsonPath("$.title").isEqualTo("Not allowed")
			.jsonPath("$.detail").value(String.class, (detail) -> assertThat(detail).contains("bridge:write:b"));
		String everything = hmac(claims("bridge:read bridge:metrics").build(), SECRET);
		try (SseClient stream = SseClient.open(bridge.port(), "/links/b/stream?access_token=" + everything)) {
			assertThat(stream.status()).isEqualTo(200);
		}
		http.get().uri("/actuator/prometheus").header("Authorization", "Bearer " + everything).exchange()
			.expectStatus().isOk();
	}

	@Test
	void aJwtThatIsExpiredWronglySignedForAnotherAudienceOrWithoutTheScopeIsRefusedSayingWhich()
			throws JOSEException {
		Instant past = Instant.now().minus(Duration.ofHours(2));
		refused(hmac(claims("bridge:read").issueTime(Date.from(past))
			.expirationTime(Date.from(past.plusSeconds(60))).build(), SECRET), HttpStatus.UNAUTHORIZED, "Token expired");
		refused(hmac(claims("bridge:read").build(), "another secret, just as long as the right one"),
				HttpStatus.UNAUTHORIZED, "Invalid token signature");
		refused(hmac(claims("bridge:read").audience("someone-else").build(), SECRET), HttpStatus.UNAUTHORIZED,
				"Wrong audience");
		refused(hmac(claims("profile email").build(), SECRET), HttpStatus.FORBIDDEN, "Not allowed");
		refused(hmac(claims("bridge:read:b").build(), SECRET), HttpStatus.FORBIDDEN, "Not allowed");
		refused("not-a-token-of-ours", HttpStatus.UNAUTHORIZED, "Unknown token");
		http.get().uri("/api/links/a").exchange().expectStatus().isUnauthorized()
			.expectBody().jsonPath("$.title").isEqualTo("Token required");
	}

	@Test
	void aJwtOfAnIdentityProviderIsCheckedWithBootsOwnProperties(@TempDir Path keys) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair provider = generator.generateKeyPair();
		KeyPair impostor = generator.generateKeyPair();
		Path publicKey = keys.resolve("provider.pem");
		Files.writeString(publicKey, "-----BEGIN PUBLIC KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(provider.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n",
				StandardCharsets.US_ASCII);
		try (TestUpstream upstream = TestUpstream.onFreePort();
				RunningBridge idp = RunningBridge.connectedTo(upstream,
						"spring.security.oauth2.resourceserver.jwt.public-key-location=file:" + publicKey)) {
			String good = rsa(claims("bridge:read").build(), (RSAPrivateKey) provider.getPrivate());
			String forged = rsa(claims("bridge:read").build(), (RSAPrivateKey) impostor.getPrivate());
			idp.http().get().uri("/api/connection").header("Authorization", "Bearer " + good).exchange()
				.expectStatus().isOk();
			idp.http().get().uri("/api/connection").header("Authorization", "Bearer " + forged).exchange()
				.expectStatus().isUnauthorized().expectBody().jsonPath("$.title").isEqualTo("Invalid token signature");
			idp.http().get().uri("/api/connection").exchange().expectStatus().isUnauthorized();
		}
	}

	@Test
	void aTokenForALinkTheBridgeDoesNotHoldFailsStartUp() {
		assertThatException().isThrownBy(() -> RunningBridge.start("bridge.links.a.upstream.port=1",
				"bridge.security.tokens[0].value=t", "bridge.security.tokens[0].access=read",
				"bridge.security.tokens[0].links=nope"))
			.satisfies((ex) -> {
				StringBuilder messages = new StringBuilder();
				for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
					messages.append(cause.getMessage());
				}
				assertThat(messages).contains("bridge.security.tokens[0].links").contains("'nope'");
			});
	}

	private static void refused(String token, HttpStatus status, String title) {
		http.get().uri("/api/links/a").header("Authorization", "Bearer " + token).exchange()
			.expectStatus().isEqualTo(status)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().jsonPath("$.title").isEqualTo(title).jsonPath("$.detail").isNotEmpty();
	}

	private static JWTClaimsSet.Builder claims(String scope) {
		Instant now = Instant.now();
		return new JWTClaimsSet.Builder().subject("operator")
			.audience("tcp-bridge")
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.claim("scope", scope);
	}

	private static String hmac(JWTClaimsSet claims, String secret) throws JOSEException {
		return sign(claims, new MACSigner(secret.getBytes(StandardCharsets.UTF_8)), JWSAlgorithm.HS256);
	}

	private static String rsa(JWTClaimsSet claims, RSAPrivateKey key) throws JOSEException {
		return sign(claims, new RSASSASigner(key), JWSAlgorithm.RS256);
	}

	private static String sign(JWTClaimsSet claims, JWSSigner signer, JWSAlgorithm algorithm) throws JOSEException {
		SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
		jwt.sign(signer);
		return jwt.serialize();
	}

}
