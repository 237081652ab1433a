package io.tcpbridge;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * Holds one persistent TCP client connection to an upstream server and turns it into HTTP.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TcpBridgeApplication {

	public static void main(String[] args) {
		SpringApplication.run(TcpBridgeApplication.class, args);
	}

}
