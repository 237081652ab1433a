package io.tcpbridge.web;

import io.tcpbridge.support.BridgeTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI description covers every endpoint, every status code and the SSE event types,
 * and the browsable UI is served.
 */
@BridgeTest
class ApiDocumentationTest {

	@Autowired
	private RestTestClient http;

	@Test
	void everyEndpointAndStatusIsDescribed() {
		this.http.get().uri("/v3/api-docs").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.info.title").isEqualTo("tcp-bridge")
			.jsonPath("$.info.description").value((text) -> assertThat(text.toString())
				.contains("/ws").contains("/links/{name}/ws").contains("1009").contains("1013"))
			.jsonPath("$.paths['/send'].post.responses['200']").exists()
			.jsonPath("$.paths['/send'].post.responses['400']").exists()
			.jsonPath("$.paths['/send'].post.responses['413']").exists()
			.jsonPath("$.paths['/send'].post.responses['415']").exists()
			.jsonPath("$.paths['/send'].post.responses['503'].headers['Retry-After']").exists()
			.jsonPath("$.paths['/send'].post.responses['504']").exists()
			.jsonPath("$.paths['/send'].post.responses['400'].content['application/problem+json']").exists()
			.jsonPath("$.paths['/send'].post.requestBody.content['application/json']").exists()
			.jsonPath("$.paths['/send'].post.requestBody.content['text/plain']").exists()
			.jsonPath("$.paths['/send'].post.parameters[?(@.name == 'await')]").exists()
			.jsonPath("$.paths['/send'].post.parameters[?(@.name == 'frames')]").exists()
			.jsonPath("$.paths['/send'].post.parameters[?(@.name == 'until')]").exists()
			.jsonPath("$.paths['/send'].post.parameters[?(@.name == 'wait')]").exists()
			.jsonPath("$.paths['/send'].post.responses['409']").exists()
			.jsonPath("$.paths['/send'].post.responses['502']").exists()
			.jsonPath("$.components.schemas.Reply.properties.frames.items").exists()
			.jsonPath("$.paths['/stream'].get.description").value((text) -> assertThat(text.toString()).contains("`connection`", "`frame`", "`frame-base64`", "`gap`", "keep-alive"))
			.jsonPath("$.paths['/stream'].get.responses['400']").exists()
			.jsonPath("$.paths['/api/connection'].get").exists()
			.jsonPath("$.paths['/api/connection/stop'].post").exists()
			.jsonPath("$.paths['/api/connection/start'].post").exists()
			.jsonPath("$.paths['/api/connection/reconnect'].post.responses['409']").exists()
			.jsonPath("$.paths['/links/{link}/send'].post.parameters[?(@.name == 'link' && @.in == 'path')]").exists()
			.jsonPath("$.paths['/links/{link}/send'].post.responses['404']").exists()
			.jsonPath("$.paths['/links/{link}/stream'].get.responses['404']").exists()
			.jsonPath("$.paths['/api/links'].get").exists()
			.jsonPath("$.paths['/api/links/{link}'].get.responses['404']").exists()
			.jsonPath("$.paths['/api/links/{link}/stop'].post").exists()
			.jsonPath("$.paths['/api/links/{link}/start'].post").exists()
			.jsonPath("$.paths['/api/links/{link}/reconnect'].post.responses['409']").exists()
			// today's routes have no link in their path, and so no such parameter
			.jsonPath("$.paths['/send'].post.parameters[?(@.name == 'link')]").doesNotExist()
			.jsonPath("$.paths['/stream'].get.parameters[?(@.name == 'link')]").doesNotExist()
			.jsonPath("$.paths['/api/connection'].get.parameters[?(@.name == 'link')]").doesNotExist()
			.jsonPath("$.paths['/actuator/health'].get").exists()
			.jsonPath("$.paths['/actuator/prometheus'].get").exists();
	}

	@Test
	void theBrowsableUiIsServed() {
		this.http.get().uri("/swagger-ui/index.html").exchange().expectStatus().isOk();
	}

}
