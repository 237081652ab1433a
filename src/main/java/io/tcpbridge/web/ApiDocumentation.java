package io.tcpbridge.web;

import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

/**
 * The OpenAPI description at {@code /v3/api-docs} (browsable at {@code /swagger-ui.html}):
 * what the annotations on the controllers cannot say, the WebSocket endpoint, and the
 * problem-detail body of every error response.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

	private static final String DESCRIPTION = """
			Persistent TCP client connections to upstream servers, one per named link, turned into HTTP.

			**Frames in**: `GET /links/{name}/stream` (Server-Sent Events) and `/links/{name}/ws` (WebSocket) \
			push every frame the link's upstream sends. **Frames out**: `POST /links/{name}/send`, or a \
			message on the WebSocket. **The links**: `GET /api/links`, `GET /api/links/{name}`, its operator \
			controls, and `/actuator/health` (component `upstream`, a child per link). Today's routes, \
			`/stream`, `/ws`, `/send` and `/api/connection`, serve the link named `default`, or the only \
			link; with several and none so named, they answer 404, listing the links.

			**WebSocket `/links/{name}/ws` and `/ws`** (not an HTTP operation, so described here): each frame is one message, \
			binary by default, text with `?encoding=utf8` (a frame that is not UTF-8 then comes as a \
			binary message). In binary mode, link state changes and gaps come as text messages holding \
			JSON, `{"event": "connection", "state", "at", "error"}` and `{"event": "gap", "missed", \
			"reason"}`. Each message the client sends is written upstream as one frame; one that cannot \
			be written closes the session with 1009 (too big), 1007 (empty, or holds the framing's \
			delimiter) or 1013 (the upstream is not connected). Same-origin only.

			Every error is an RFC 9457 problem detail (`application/problem+json`).
			""";

	@Bean
	OpenAPI bridgeApi() {
		return new OpenAPI().info(new Info().title("tcp-bridge").version("1").description(DESCRIPTION));
	}

	/** Every 4xx and 5xx response carries a problem detail. */
	@Bean
	OpenApiCustomizer problemDetailResponses() {
		return (openApi) -> {
			Schema<?> problem = ModelConverters.getInstance().readAllAsResolvedSchema(ProblemDetail.class).schema;
			openApi.getPaths().values().forEach((path) -> path.readOperations().forEach((operation) -> {
				if (operation.getResponses() == null) {
					return;
				}
				operation.getResponses().forEach((code, response) -> {
					if (code.startsWith("4") || code.startsWith("5")) {
						response.setContent(new Content().addMediaType(
								org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
								new MediaType().schema(problem)));
					}
				});
			}));
		};
	}

}
