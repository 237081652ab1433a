package io.tcpbridge.support;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * A small Modbus TCP server, as a PLC answers on port 502, written from the specification
 * (Modbus Application Protocol v1.1b3 and Messaging on TCP/IP v1.0b), apart from the bridge's
 * codec: MBAP header (transaction id, protocol id 0, length of what follows, unit id), then
 * the PDU. It holds ten holding registers and answers, in order, function 0x03 (read
 * holding registers) and 0x06 (write single register); any other function gets exception 0x01
 * (illegal function), an address past its registers exception 0x02.
 */
public final class ModbusServer implements AutoCloseable {

	private final ServerSocket server;

	private final short[] registers = new short[10];

	private final Thread acceptor;

	public ModbusServer() {
		try {
			this.server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		this.acceptor = new Thread(this::accept, "modbus-server");
		this.acceptor.setDaemon(true);
		this.acceptor.start();
	}

	public int port() {
		return this.server.getLocalPort();
	}

	public synchronized void setRegister(int address, int value) {
		this.registers[address] = (short) value;
	}

	public synchronized int register(int address) {
		return this.registers[address] & 0xFFFF;
	}

	private void accept() {
		while (!this.server.isClosed()) {
			try {
				Socket client = this.server.accept();
				Thread serving = new Thread(() -> serve(client), "modbus-client");
				serving.setDaemon(true);
				serving.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket client) {
		try (client) {
			DataInputStream in = new DataInputStream(client.getInputStream());
			OutputStream out = client.getOutputStream();
			while (true) {
				int transaction = in.readUnsignedShort();
				int protocol = in.readUnsignedShort();
				int length = in.readUnsignedShort();
				byte[] rest = new byte[length];
				in.readFully(rest);
				if (protocol != 0 || length < 2) {
					return;
				}
				byte[] pdu = answer(ByteBuffer.wrap(rest, 1, length - 1));
				ByteBuffer reply = ByteBuffer.allocate(7 + pdu.length)
					.putShort((short) transaction)
					.putShort((short) 0)
					.putShort((short) (1 + pdu.length))
					.put(rest[0])
					.put(pdu);
				out.write(reply.array());
				out.flush();
			}
		}
		catch (IOException ex) {
			// the client went away
		}
	}

	private synchronized byte[] answer(ByteBuffer request) {
		int function = request.get() & 0xFF;
		if (function == 0x03 && request.remaining() == 4) {
			int address = request.getShort() & 0xFFFF;
			int quantity = request.getShort() & 0xFFFF;
			if (address + quantity > this.registers.length || quantity == 0) {
				return exception(function, 0x02);
			}
			ByteBuffer pdu = ByteBuffer.allocate(2 + 2 * quantity).put((byte) function).put((byte) (2 * quantity));
			for (int i = 0; i < quantity; i++) {
				pdu.putShort(this.registers[address + i]);
			}
			return pdu.array();
		}
		if (function == 0x06 && request.remaining() == 4) {
			int address = request.getShort() & 0xFFFF;
			short value = request.getShort();
			if (address >= this.registers.length) {
				return exception(function, 0x02);
			}
			this.registers[address] = value;
			// the echo of the request
			return ByteBuffer.allocate(5).put((byte) function).putShort((short) address).putShort(value).array();
		}
		return exception(function, 0x01);
	}

	private static byte[] exception(int function, int code) {
		return new byte[] { (byte) (0x80 | function), (byte) code };
	}

	@Override
	public void close() {
		try {
			this.server.close();
		}
		catch (SocketException ex) {
			// closed already
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
