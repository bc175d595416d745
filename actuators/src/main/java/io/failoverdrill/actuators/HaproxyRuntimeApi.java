package io.failoverdrill.actuators;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * HAProxy's runtime API (the {@code stats socket … level admin}): one command per connection, the answer read to
 * the end — over a Unix socket ({@code /run/haproxy/admin.sock}) or TCP ({@code 127.0.0.1:9999}).
 */
public final class HaproxyRuntimeApi {
    private final SocketAddress address;
    private final StandardProtocolFamily family;

    /** {@code socket}: a path (Unix socket) or {@code HOST:PORT}. */
    public HaproxyRuntimeApi(String socket) {
        int colon = socket.lastIndexOf(':');
        if (!socket.contains("/") && colon > 0) {
            this.address = new InetSocketAddress(socket.substring(0, colon), Integer.parseInt(socket.substring(colon + 1)));
            this.family = StandardProtocolFamily.INET;
        } else {
            this.address = UnixDomainSocketAddress.of(Path.of(socket));
            this.family = StandardProtocolFamily.UNIX;
        }
    }

    /** Sends {@code command} and returns HAProxy's whole answer (empty for most successful {@code set} commands). */
    public String send(String command) throws IOException {
        if (command.contains("\n") || command.contains(";")) {
            throw new IllegalArgumentException("one runtime API command at a time, without ';' or newlines: " + command);
        }
        try (SocketChannel ch = SocketChannel.open(family)) {
            ch.connect(address);
            ch.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.shutdownOutput();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (ch.read(buf) >= 0) {
                buf.flip();
                out.write(buf.array(), 0, buf.limit());
                buf.clear();
            }
            return out.toString(StandardCharsets.UTF_8).strip();
        }
    }

    @Override
    public String toString() {
        return "haproxy runtime API at " + address;
    }
}
