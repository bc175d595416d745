package io.failoverdrill.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyStore;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;

/**
 * The Kafka client properties every command starts its clients from: {@code bootstrap.servers}, then a properties
 * file in Kafka's own client format ({@code --kafka-config}, like the {@code --command-config} of Kafka's tools),
 * then {@code DRILL_KAFKA_*} environment variables ({@code DRILL_KAFKA_SECURITY_PROTOCOL} → {@code security.protocol}).
 * A file that cannot be used fails with one line naming the file and the property; secrets are never printed, and a
 * file holding them must not be readable by others.
 */
final class KafkaClientConfig {
    static final String ENV_PREFIX = "DRILL_KAFKA_";
    static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");

    private KafkaClientConfig() {
    }

    /** The file is unusable; the message is one line naming the file and the property, with no secret in it. */
    static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    /** Whether a property holds a secret (its value is never shown). */
    static boolean secret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".password") || n.equals("sasl.jaas.config") || n.endsWith(".key") || n.contains("secret");
    }

    /** The properties for {@code bootstrap} (null: from the file or environment), {@code file} (null: none) and env. */
    static Map<String, Object> load(String bootstrap, Path file, Map<String, String> env) {
        Map<String, Object> props = new TreeMap<>();
        String origin = "--kafka-config " + file;
        if (file != null) {
            props.putAll(read(file));
        }
        env.forEach((k, v) -> {
            if (k.startsWith(ENV_PREFIX) && k.length() > ENV_PREFIX.length()) {
                props.put(k.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'), v);
            }
        });
        if (bootstrap != null) {
            props.put("bootstrap.servers", bootstrap);
        }
        if (!props.containsKey("bootstrap.servers")) {
            throw new Invalid("--bootstrap-servers is required (or bootstrap.servers in --kafka-config or DRILL_KAFKA_BOOTSTRAP_SERVERS)");
        }
        String where = file == null ? "the environment" : origin;
        Object protocol = props.get("security.protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol.toString().toUpperCase(Locale.ROOT))) {
            throw new Invalid(where + ": security.protocol=" + protocol + " is not one of " + String.join(", ", PROTOCOLS));
        }
        for (String store : List.of("ssl.truststore", "ssl.keystore")) {
            Object location = props.get(store + ".location");
            if (location != null) {
                openStore(where, store, location.toString(), (String) props.get(store + ".type"),
                        (String) props.get(store + ".password"));
            }
        }
        return props;
    }

    private static Map<String, Object> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new Invalid("--kafka-config " + file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Invalid("--kafka-config " + file + ": not readable (permission denied)");
        } catch (IOException e) {
            throw new Invalid("--kafka-config " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            throw new Invalid("--kafka-config " + file + ": not a Java properties file (" + e.getClass().getSimpleName() + ")");
        }
        Map<String, Object> m = new TreeMap<>();
        p.forEach((k, v) -> m.put(k.toString().trim(), v.toString().trim()));
        List<String> secrets = m.keySet().stream().filter(KafkaClientConfig::secret).toList();
        if (!secrets.isEmpty() && readableByOthers(file)) {
            throw new Invalid("--kafka-config " + file + ": holds " + String.join(", ", secrets)
                    + " and is readable by group or others; chmod 600 it");
        }
        return m;
    }

    private static boolean readableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            return perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ);
        } catch (UnsupportedOperationException | IOException e) {
            return false; // not a POSIX file system: nothing to check
        }
    }

    private static void openStore(String where, String store, String location, String type, String password) {
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            KeyStore ks = KeyStore.getInstance(type == null ? "PKCS12" : type);
            ks.load(in, password == null ? null : password.toCharArray());
        } catch (NoSuchFileException e) {
            throw new Invalid(where + ": " + store + ".location=" + location + " does not exist");
        } catch (IOException | java.security.GeneralSecurityException e) {
            String why = e.getCause() instanceof java.security.UnrecoverableKeyException
                    || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")
                    ? "wrong " + store + ".password or a damaged store" : e.getClass().getSimpleName();
            throw new Invalid(where + ": " + store + ".location=" + location + " cannot be opened (" + why + ")");
        }
    }

    /** {@code props} as text with every secret masked, for logs and errors. */
    static String masked(Map<String, Object> props) {
        Map<String, Object> m = new TreeMap<>();
        props.forEach((k, v) -> m.put(k, secret(k) ? "[hidden]" : v));
        return m.toString();
    }
}
