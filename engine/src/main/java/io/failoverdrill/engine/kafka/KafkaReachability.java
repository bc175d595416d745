package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Before a command starts its Kafka clients: can the cluster be reached, and with these client properties? Within
 * {@code timeout} it answers, or throws {@link Unreachable} with one line naming the bootstrap servers and the cause —
 * unresolvable host, connection refused, no answer, TLS handshake, authentication, authorization — instead of a
 * client that retries silently for minutes.
 */
public final class KafkaReachability {
    private KafkaReachability() {
    }

    /** Kafka is not reachable; the message is one line for the operator. */
    public static final class Unreachable extends RuntimeException {
        Unreachable(String message) {
            super(message);
        }
    }

    /** Checks {@code clientProperties} (with {@code bootstrap.servers}) within {@code timeout}. */
    public static void check(Map<String, Object> clientProperties, Duration timeout) {
        String bootstrap = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        List<String> problems = new ArrayList<>();
        boolean anyOpen = false;
        for (String server : bootstrap.split(",")) {
            String problem = tcp(server.trim(), (int) Math.min(3000, timeout.toMillis()));
            if (problem == null) {
                anyOpen = true;
            } else {
                problems.add(problem);
            }
        }
        if (!anyOpen) {
            throw new Unreachable("cannot reach Kafka at " + bootstrap + ": " + String.join("; ", problems));
        }
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 1000);
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .clusterId().get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new Unreachable("cannot use Kafka at " + bootstrap + ": " + cause(e.getCause()));
        } catch (TimeoutException e) {
            throw new Unreachable("cannot use Kafka at " + bootstrap + ": no answer to a metadata request within "
                    + timeout.toSeconds() + " s (a listener speaking another protocol, TLS or SASL expected?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable("interrupted while checking Kafka at " + bootstrap);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new Unreachable("cannot use Kafka at " + bootstrap + ": " + cause(e));
        }
    }

    private static String tcp(String server, int timeoutMs) {
        int colon = server.lastIndexOf(':');
        if (colon <= 0) {
            return server + " is not host:port";
        }
        String host = server.substring(0, colon);
        int port;
        try {
            port = Integer.parseInt(server.substring(colon + 1));
        } catch (NumberFormatException e) {
            return server + " has no port number";
        }
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return null;
        } catch (UnknownHostException e) {
            return host + " cannot be resolved";
        } catch (ConnectException e) {
            return server + " refused the connection";
        } catch (SocketTimeoutException e) {
            return server + " did not answer within " + timeoutMs + " ms";
        } catch (IOException e) {
            return server + ": " + e.getMessage();
        }
    }

    private static String cause(Throwable t) {
        if (t instanceof SslAuthenticationException) {
            return "TLS handshake failed (" + t.getMessage() + ")";
        }
        if (t instanceof SaslAuthenticationException) {
            return "authentication failed (" + t.getMessage() + ")";
        }
        if (t instanceof AuthorizationException) {
            return "not authorized (" + t.getMessage() + ")";
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
