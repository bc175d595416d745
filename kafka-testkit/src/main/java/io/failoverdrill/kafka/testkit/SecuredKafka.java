package io.failoverdrill.kafka.testkit;

import io.failoverdrill.kafka.embedded.EmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A production-shaped broker for tests: one {@code SASL_SSL} listener (SCRAM-SHA-512 over TLS with a
 * {@link KeytoolPki} certificate), {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and
 * only {@code admin} (written at format time) as a super user besides the controller's own plaintext listener
 * ({@code User:ANONYMOUS}, loopback only, which the broker uses to reach its controller). Every other user is
 * created through the Admin API ({@link #createUser}) and can do exactly what ACLs allow.
 */
public final class SecuredKafka implements AutoCloseable {
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final EmbeddedKafka broker;
    private final KeytoolPki pki;
    private final Path dir;
    private final Map<String, String> passwords = new TreeMap<>();

    private SecuredKafka(EmbeddedKafka broker, KeytoolPki pki, Path dir, String adminPassword) {
        this.broker = broker;
        this.pki = pki;
        this.dir = dir;
        passwords.put("admin", adminPassword);
    }

    /** Makes the PKI under {@code dir} and starts the broker (≈ 5 s). */
    public static SecuredKafka start(Path dir) throws IOException, InterruptedException {
        KeytoolPki pki = KeytoolPki.create(dir);
        String adminPassword = newPassword();
        EmbeddedKafka broker = EmbeddedKafka.start(ports -> Map.ofEntries(
                Map.entry("listeners", "SASL_SSL://127.0.0.1:" + ports.broker() + ",CONTROLLER://127.0.0.1:" + ports.controller()),
                Map.entry("advertised.listeners", "SASL_SSL://127.0.0.1:" + ports.broker()),
                Map.entry("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT"),
                Map.entry("inter.broker.listener.name", "SASL_SSL"),
                Map.entry("sasl.enabled.mechanisms", MECHANISM),
                Map.entry("sasl.mechanism.inter.broker.protocol", MECHANISM),
                Map.entry("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", jaas("admin", adminPassword)),
                Map.entry("ssl.keystore.location", pki.brokerKeystore().toString()),
                Map.entry("ssl.keystore.password", pki.password()),
                Map.entry("ssl.key.password", pki.password()),
                Map.entry("ssl.keystore.type", "PKCS12"),
                Map.entry("ssl.truststore.location", pki.truststore().toString()),
                Map.entry("ssl.truststore.password", pki.password()),
                Map.entry("ssl.truststore.type", "PKCS12"),
                Map.entry("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"),
                Map.entry("allow.everyone.if.no.acl.found", "false"),
                Map.entry("super.users", "User:admin;User:ANONYMOUS")),
                List.of(MECHANISM + "=[name=admin,password=" + adminPassword + "]"));
        return new SecuredKafka(broker, pki, dir, adminPassword);
    }

    public String bootstrapServers() {
        return broker.bootstrapServers();
    }

    /** Creates (or resets) SCRAM user {@code name} through the Admin API, as {@code admin}; returns its password. */
    public String createUser(String name) throws Exception {
        String password = newPassword();
        try (Admin admin = Admin.create(new java.util.HashMap<>(client("admin")))) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
        }
        passwords.put(name, password);
        return password;
    }

    /** Every password handed out (admin's, the users', the stores'), for tests that check none leaks. */
    public List<String> secrets() {
        List<String> all = new java.util.ArrayList<>(passwords.values());
        all.add(pki.password());
        return all;
    }

    /** The client properties of {@code user}: SASL_SSL, SCRAM-SHA-512, trusting the test CA. */
    public Map<String, Object> client(String user) {
        Map<String, Object> m = new TreeMap<>();
        m.put("bootstrap.servers", bootstrapServers());
        m.put("security.protocol", "SASL_SSL");
        m.put("sasl.mechanism", MECHANISM);
        m.put("sasl.jaas.config", jaas(user, passwords.get(user)));
        m.put("ssl.truststore.location", pki.truststore().toString());
        m.put("ssl.truststore.password", pki.password());
        m.put("ssl.truststore.type", "PKCS12");
        return m;
    }

    /** {@link #client} of {@code user} as a properties file ({@code --kafka-config}), readable by its owner only. */
    public Path clientConfig(String user) {
        Path file = dir.resolve(user + ".properties");
        StringBuilder b = new StringBuilder();
        client(user).forEach((k, v) -> b.append(k).append('=').append(String.valueOf(v).replace("\\", "\\\\")).append('\n'));
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    private static String newPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return "pw-" + HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        broker.close();
    }
}
