package io.failoverdrill.kafka.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority and a broker certificate for 127.0.0.1 / localhost, made with the JDK's own
 * {@code keytool} as an operator would: CA key pair (basic constraints CA), broker key pair, certificate request,
 * signed by the CA with the subject alternative names, chain imported. PKCS#12 stores; the password is random per
 * run and only ever passed to keytool and the broker's and clients' properties.
 */
public final class KeytoolPki {
    private final Path dir;
    private final String password;

    private KeytoolPki(Path dir, String password) {
        this.dir = dir;
        this.password = password;
    }

    /** Makes the CA, the broker keystore and a truststore holding the CA under {@code dir}. */
    public static KeytoolPki create(Path dir) throws IOException, InterruptedException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        KeytoolPki pki = new KeytoolPki(dir, HexFormat.of().formatHex(secret));
        pki.keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=drill-test-ca",
                "-ext", "bc:c", "-validity", "2", "-keystore", pki.file("ca.p12"), "-storetype", "PKCS12");
        pki.keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", pki.file("ca.p12"), "-file", pki.file("ca.pem"));
        pki.keytool("-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-validity", "2", "-keystore", pki.file("broker.p12"), "-storetype", "PKCS12");
        pki.keytool("-certreq", "-alias", "broker", "-keystore", pki.file("broker.p12"), "-file", pki.file("broker.csr"));
        pki.keytool("-gencert", "-alias", "ca", "-keystore", pki.file("ca.p12"), "-infile", pki.file("broker.csr"),
                "-outfile", pki.file("broker.pem"), "-rfc", "-validity", "2", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-ext", "EKU=serverAuth,clientAuth");
        pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.file("ca.pem"), "-keystore", pki.file("broker.p12"));
        pki.keytool("-importcert", "-alias", "broker", "-file", pki.file("broker.pem"), "-keystore", pki.file("broker.p12"));
        pki.keytool("-importcert", "-noprompt", "-alias", "ca", "-file", pki.file("ca.pem"), "-keystore", pki.file("truststore.p12"),
                "-storetype", "PKCS12");
        return pki;
    }

    public Path brokerKeystore() {
        return dir.resolve("broker.p12");
    }

    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The stores' password (a secret: never print it). */
    public String password() {
        return password;
    }

    private String file(String name) {
        return dir.resolve(name).toString();
    }

    private void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        cmd.addAll(List.of("-storepass:env", "DRILL_PKI_PASS"));
        if (List.of(args).contains("-genkeypair")) {
            cmd.addAll(List.of("-keypass:env", "DRILL_PKI_PASS"));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("DRILL_PKI_PASS", password);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + output.strip());
        }
    }
}
