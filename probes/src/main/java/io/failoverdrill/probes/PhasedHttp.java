package io.failoverdrill.probes;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 request (a GET unless told otherwise) on a fresh connection, timed phase by phase — what the JDK's HttpClient cannot tell: TCP
 * connect, TLS handshake (https only), time to first byte after the request was written, and body download.
 * The whole exchange must finish within {@code timeout}. A failure is classed by the phase it happened in:
 * {@code connect}, {@code tls}, {@code timeout} (no first byte in time), {@code body_read} (the connection broke or
 * stalled after the first byte).
 */
public final class PhasedHttp {
    /**
     * The outcome. Phase times in milliseconds, null when the phase was not reached (or, for TLS, on plain HTTP);
     * {@code status} 0 when no HTTP response arrived; {@code failure} the error class of a transport failure.
     */
    public record Result(int status, Map<String, String> headers, byte[] body, Double connectMs, Double tlsMs,
                         Double ttfbMs, Double bodyMs, String failure, String detail) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private static final int END_OF_HEAD = ('\r' << 24) | ('\n' << 16) | ('\r' << 8) | '\n';
    private final SSLContext tls;
    private final URI proxy;

    /** {@code tls} is used for https URLs (null = the JVM's default trust). */
    public PhasedHttp(SSLContext tls) {
        this(tls, null);
    }

    /**
     * Through the HTTP proxy {@code proxy} ({@code http://host:port}; null: direct): a plain-HTTP request is sent to
     * it in absolute form, an https one through a {@code CONNECT} tunnel (its round trip counts as connecting; a
     * refusal is a {@code connect} failure naming the proxy's answer).
     */
    public PhasedHttp(SSLContext tls, URI proxy) {
        this.tls = tls;
        this.proxy = proxy;
    }

    public Result get(URI uri, Duration timeout, Map<String, String> requestHeaders) {
        return exchange("GET", uri, timeout, requestHeaders, null);
    }

    /**
     * One request of {@code method} with {@code requestHeaders} and {@code body} (null: none), timed as {@link #get}
     * describes. A HEAD answer, a 204 and a 304 have no body.
     */
    public Result exchange(String method, URI uri, Duration timeout, Map<String, String> requestHeaders, byte[] body) {
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : https ? 443 : 80;
        Double connectMs = null;
        Double tlsMs = null;
        Double ttfbMs = null;
        long t0 = System.nanoTime();
        Socket socket = new Socket();
        try {
            try {
                socket.setTcpNoDelay(true);
                socket.connect(proxy == null ? new InetSocketAddress(uri.getHost(), port)
                        : new InetSocketAddress(proxy.getHost(), proxy.getPort() > 0 ? proxy.getPort() : 80), millisLeft(deadline));
                if (proxy != null && https) {
                    tunnel(socket, uri.getHost() + ":" + port, deadline);
                }
            } catch (IOException e) {
                return failed(connectMs, tlsMs, ttfbMs, "connect", e);
            }
            long t1 = System.nanoTime();
            connectMs = ms(t1 - t0);
            Socket s = socket;
            if (https) {
                try {
                    SSLSocket ssl = (SSLSocket) (tls == null ? SSLContext.getDefault() : tls).getSocketFactory()
                            .createSocket(socket, uri.getHost(), port, true);
                    SSLParameters params = ssl.getSSLParameters();
                    params.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(params);
                    ssl.setSoTimeout(millisLeft(deadline));
                    ssl.startHandshake();
                    s = ssl;
                } catch (SocketTimeoutException e) {
                    return failed(connectMs, tlsMs, ttfbMs, "timeout", e);
                } catch (IOException | java.security.NoSuchAlgorithmException e) {
                    return failed(connectMs, tlsMs, ttfbMs, "tls", e);
                }
                tlsMs = ms(System.nanoTime() - t1);
            }
            long t2 = System.nanoTime();
            InputStream in;
            int first;
            try {
                OutputStream out = s.getOutputStream();
                StringBuilder req = new StringBuilder(method).append(' ')
                        .append(proxy != null && !https ? "http://" + uri.getHost() + ":" + port : "").append(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                        ? "/" : uri.getRawPath()).append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                        .append(" HTTP/1.1\r\nHost: ").append(uri.getHost()).append(':').append(port)
                        .append("\r\nConnection: close\r\nAccept: */*\r\n");
                requestHeaders.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
                if (body != null) {
                    req.append("Content-Length: ").append(body.length).append("\r\n");
                }
                out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                s.setSoTimeout(millisLeft(deadline));
                in = new java.io.BufferedInputStream(s.getInputStream(), 8192); // not a system call per byte
                first = in.read();
            } catch (SocketTimeoutException e) {
                return failed(connectMs, tlsMs, ttfbMs, "timeout", e);
            } catch (SSLException e) {
                return failed(connectMs, tlsMs, ttfbMs, "tls", e);
            } catch (IOException e) {
                return failed(connectMs, tlsMs, ttfbMs, "connect", e); // reset before any answer
            }
            long t3 = System.nanoTime();
            if (first < 0) {
                return failed(connectMs, tlsMs, ttfbMs, "connect", new ConnectException("connection closed without an answer"));
            }
            ttfbMs = ms(t3 - t2);
            try {
                ByteArrayOutputStream raw = new ByteArrayOutputStream(512);
                raw.write(first);
                Map<String, String> headers = new TreeMap<>();
                int status = readHead(in, raw, headers, deadline, s);
                boolean bodiless = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
                byte[] answer = bodiless ? new byte[0] : readBody(in, headers, deadline, s);
                double bodyMs = ms(System.nanoTime() - t3);
                return new Result(status, headers, answer, connectMs, tlsMs, ttfbMs, bodyMs, null, null);
            } catch (IOException e) {
                return failed(connectMs, tlsMs, ttfbMs, "body_read", e);
            }
        } finally {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken socket
            }
        }
    }

    /** Opens a {@code CONNECT} tunnel to {@code authority} through the proxy {@code socket} is connected to. */
    private static void tunnel(Socket socket, String authority, long deadline) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        socket.setSoTimeout(millisLeft(deadline));
        InputStream in = socket.getInputStream(); // unbuffered: the TLS handshake reads what follows the head
        int first = in.read();
        if (first < 0) {
            throw new ConnectException("the proxy closed the connection on CONNECT " + authority);
        }
        ByteArrayOutputStream raw = new ByteArrayOutputStream(256);
        raw.write(first);
        int status = readHead(in, raw, new TreeMap<>(), deadline, socket);
        if (status / 100 != 2) {
            throw new ConnectException("the proxy answered " + status + " to CONNECT " + authority);
        }
    }

    private static int readHead(InputStream in, ByteArrayOutputStream raw, Map<String, String> headers, long deadline,
                                Socket s) throws IOException {
        int last4 = raw.toByteArray()[0]; // the last four bytes read, the newest in the low byte
        s.setSoTimeout(millisLeft(deadline)); // once: mostly served from the buffer, bounded by the deadline
        while (last4 != END_OF_HEAD) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed inside the response head");
            }
            raw.write(b);
            last4 = (last4 << 8) | b;
            if (raw.size() > 64 * 1024) {
                throw new IOException("response head larger than 64 KiB");
            }
        }
        String[] lines = raw.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + lines[0]);
        }
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].indexOf(':');
            if (c > 0) {
                headers.put(lines[i].substring(0, c).trim().toLowerCase(Locale.ROOT), lines[i].substring(c + 1).trim());
            }
        }
        try {
            return Integer.parseInt(statusLine[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status line: " + lines[0]);
        }
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers, long deadline, Socket s) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = headers.get("content-length");
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String sizeLine = line(in, deadline, s);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    line(in, deadline, s);
                    return body.toByteArray();
                }
                copy(in, body, size, deadline, s);
                line(in, deadline, s);
            }
        }
        if (length != null) {
            copy(in, body, Long.parseLong(length), deadline, s);
            return body.toByteArray();
        }
        copy(in, body, Long.MAX_VALUE, deadline, s); // until the server closes (Connection: close)
        return body.toByteArray();
    }

    private static void copy(InputStream in, ByteArrayOutputStream to, long n, long deadline, Socket s) throws IOException {
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            s.setSoTimeout(millisLeft(deadline));
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("connection closed with " + left + " body bytes missing");
            }
            to.write(buf, 0, r);
            left -= r;
        }
    }

    private static String line(InputStream in, long deadline, Socket s) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        s.setSoTimeout(millisLeft(deadline));
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.append((char) c);
            }
        }
        if (c < 0) {
            throw new IOException("connection closed inside a chunked body");
        }
        return b.toString();
    }

    private static Result failed(Double connectMs, Double tlsMs, Double ttfbMs, String cls, Exception e) {
        return new Result(0, Map.of(), new byte[0], connectMs, tlsMs, ttfbMs, null, cls,
                e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    private static int millisLeft(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("deadline passed");
        }
        return (int) Math.min(Integer.MAX_VALUE, left);
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
