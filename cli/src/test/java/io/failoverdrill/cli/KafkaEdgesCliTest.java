package io.failoverdrill.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A broker that is not there, or a client config that cannot work: one line, exit 2, quickly, no secret. */
class KafkaEdgesCliTest extends CliRunner {
    static final String PLAN = Path.of("..", "plans", "demo-brownout.json").toString();

    @Test
    void aBrokerThatIsNotThereIsOneLineNamingItAndTheCauseWithin15Seconds() {
        long t0 = System.nanoTime();
        assertThat(run("run", "--plan", PLAN, "--bootstrap-servers", "127.0.0.1:1")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill run: cannot reach Kafka at 127.0.0.1:1: 127.0.0.1:1 refused the connection");
        assertThat(run("guard", "--policy", Path.of("..", "plans", "guard.json").toString(), "--bootstrap-servers",
                "kafka.invalid:9092")).isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach Kafka at kafka.invalid:9092: kafka.invalid cannot be resolved");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
        assertThat(err.toString().lines().count()).isEqualTo(2);
    }

    @Test
    void aBadKafkaConfigFileNamesTheFileAndThePropertyAndShowsNoSecret(@TempDir Path dir) throws IOException {
        Path missing = dir.resolve("missing.properties");
        assertThat(run("run", "--plan", PLAN, "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", missing.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--kafka-config " + missing + ": no such file");

        Path protocol = write(dir, "protocol.properties", "security.protocol=SASL_SLL\n", "rw-------");
        assertThat(run("probe", "--config", Path.of("..", "plans", "probes.json").toString(), "--bootstrap-servers",
                "127.0.0.1:1", "--kafka-config", protocol.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(protocol + ": security.protocol=SASL_SLL is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL");

        Path open = write(dir, "open.properties", "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule "
                + "required username=\"engine\" password=\"hunter2-secret\";\n", "rw-r--r--");
        assertThat(run("run", "--plan", PLAN, "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", open.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(open + ": holds sasl.jaas.config and is readable by group or others; chmod 600 it");

        Path store = dir.resolve("truststore.p12");
        Files.write(store, new byte[]{1, 2, 3});
        Path tls = write(dir, "tls.properties", "security.protocol=SSL\nssl.truststore.location=" + store
                + "\nssl.truststore.password=hunter2-secret\n", "rw-------");
        assertThat(run("run", "--plan", PLAN, "--bootstrap-servers", "127.0.0.1:1", "--kafka-config", tls.toString())).isEqualTo(2);
        assertThat(err.toString()).contains(tls + ": ssl.truststore.location=" + store + " cannot be opened");
        assertThat(out.toString() + err.toString()).doesNotContain("hunter2-secret");
    }

    @Test
    void environmentVariablesOverrideTheFile(@TempDir Path dir) throws IOException {
        Path file = write(dir, "k.properties", "bootstrap.servers=a:1\nsecurity.protocol=SSL\n", "rw-------");
        Map<String, Object> props = KafkaClientConfig.load(null, file, Map.of("DRILL_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT",
                "DRILL_KAFKA_CLIENT_ID", "drill-1", "PATH", "/bin"));
        assertThat(props).containsEntry("bootstrap.servers", "a:1").containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("client.id", "drill-1").doesNotContainKey("path");
        assertThat(KafkaClientConfig.masked(Map.of("sasl.jaas.config", "x password=\"p\"", "ssl.key.password", "p")))
                .doesNotContain("p\"").contains("[hidden]");
    }

    static Path write(Path dir, String name, String text, String perms) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(perms));
        return f;
    }
}
