package io.tcpbridge.web;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.core.StandardHost;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Requests that Tomcat refuses before they reach the bridge (a malformed path, an illegal
 * character, an oversized header) get a problem detail too, instead of Tomcat's HTML page.
 */
@Configuration(proxyBeanMethods = false)
class ContainerErrorConfiguration {

	@Bean
	TomcatContextCustomizer problemDetailErrorReports() {
		return (context) -> ((StandardHost) context.getParent()).setErrorReportValveClass(ProblemErrorReportValve.class.getName());
	}

	/** Writes Tomcat's own error responses as {@code application/problem+json}. */
	public static class ProblemErrorReportValve extends ErrorReportValve {

		private static final Log logger = LogFactory.getLog(ProblemErrorReportValve.class);

		@Override
		protected void report(Request request, Response response, Throwable throwable) {
			int status = response.getStatus();
			if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
				return;
			}
			HttpStatus httpStatus = HttpStatus.resolve(status);
			String title = (httpStatus != null) ? httpStatus.getReasonPhrase() : "Error";
			try {
				response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
				response.setCharacterEncoding(StandardCharsets.UTF_8.name());
				Writer writer = response.getReporter();
				if (writer != null) {
					writer.write("{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
							+ ",\"detail\":\"The server refused the request before it reached the bridge: check the "
							+ "path, the headers and their size\"}");
					response.finishResponse();
				}
			}
			catch (IOException | IllegalStateException ex) {
				logger.debug("Could not write the problem detail for a refused request: " + ex.getMessage());
			}
		}

	}

}
