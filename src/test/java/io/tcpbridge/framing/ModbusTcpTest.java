package io.tcpbridge.framing;

import io.tcpbridge.support.ModbusServer;
import io.tcpbridge.support.RunningBridge;
import io.tcpbridge.upstream.LinkState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Modbus TCP exchange through the bridge, in {@code modbus-tcp} framing, with a Modbus
 * server that knows nothing of the bridge: a client sends whole frames, MBAP header
 * included, and gets the server's whole frames back.
 */
class ModbusTcpTest {

	private ModbusServer plc;

	private RunningBridge bridge;

	@BeforeEach
	void connect() {
		this.plc = new ModbusServer();
		this.bridge = RunningBridge.start("bridge.upstream.port=" + this.plc.port(), "bridge.framing.mode=modbus-tcp");
		this.bridge.awaitState(LinkState.CONNECTED);
	}

	@AfterEach
	void close() {
		this.bridge.close();
		this.plc.close();
	}

	@Test
	void readsHoldingRegisters() {
		this.plc.setRegister(0, 0x1234);
		this.plc.setRegister(1, 0x00FF);
		// transaction 1, unit 1, function 3: two registers from address 0
		assertThat(exchange("0001 0000 0006 01 03 0000 0002")).isEqualTo(compact("0001 0000 0007 01 03 04 1234 00ff"));
	}

	@Test
	void writesARegister() {
		// function 6: register 5 := 0x0063, answered with the request's echo
		assertThat(exchange("0002 0000 0006 01 06 0005 0063")).isEqualTo(compact("0002 0000 0006 01 06 0005 0063"));
		assertThat(this.plc.register(5)).isEqualTo(0x63);
	}

	@Test
	void anExceptionReplyIsAFrameLikeAnyOther() {
		// function 0x11 is not served: exception 0x91, code 1 (illegal function)
		assertThat(exchange("0003 0000 0002 01 11")).isEqualTo(compact("0003 0000 0003 01 91 01"));
	}

	@Test
	void aFrameWhoseLengthFieldIsWrongIsRefusedAndNothingIsSent() {
		http().post().uri("/send").contentType(MediaType.APPLICATION_JSON)
			.body("{\"data\": \"000400000009010300000002\", \"encoding\": \"hex\"}")
			.exchange()
			.expectStatus().isEqualTo(HttpStatus.BAD_REQUEST)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.title").isEqualTo("Frame does not match its length field")
			.jsonPath("$.detail").value((detail) -> assertThat(detail.toString())
				.contains("says 9 bytes follow it, but 6 do").contains("Nothing was sent"));
		assertThat(this.bridge.link().status().framesOut()).isZero();
		// the link is in step still
		assertThat(exchange("0005 0000 0006 01 03 0009 0001")).isEqualTo(compact("0005 0000 0005 01 03 02 0000"));
	}

	/** Sends a request frame, given in spaced hex, and returns the reply in hex. */
	private String exchange(String request) {
		String reply = http().post().uri("/send?await=reply&encoding=hex").contentType(MediaType.APPLICATION_JSON)
			.body("{\"data\": \"" + request.replace(" ", "") + "\", \"encoding\": \"hex\"}")
			.exchange()
			.expectStatus().isOk()
			.returnResult(Reply.class)
			.getResponseBody()
			.data();
		return reply;
	}

	private static String compact(String spaced) {
		return spaced.replace(" ", "");
	}

	private RestTestClient http() {
		return this.bridge.http();
	}

	record Reply(String id, String data, String encoding) {
	}

}
