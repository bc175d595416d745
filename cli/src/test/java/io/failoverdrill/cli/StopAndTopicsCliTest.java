package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.Topics;
import io.failoverdrill.kafka.testkit.CommittedRecords;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.event.StopEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code drill topics apply} and {@code drill stop} against a real broker. */
class StopAndTopicsCliTest extends CliRunner {
    final String bootstrap = SharedKafka.bootstrapServers();

    @Test
    void topicsApplyCreatesTheLayoutOnceAndTheStopTopicIsCompacted() throws Exception {
        String prefix = "tapply.";
        assertThat(run("topics", "apply", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--replication-factor", "1"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("topic    tapply.stop").contains("cleanup.policy compact").contains("13 created")
                .contains("tapply.state                 partitions 1  cleanup.policy compact, segment.bytes 64 MiB, segment 1 h");
        out.getBuffer().setLength(0);
        assertThat(run("topics", "apply", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--replication-factor", "1")).isZero();
        assertThat(out.toString()).contains("0 created, 13 already there and fit");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            ConfigResource r = new ConfigResource(ConfigResource.Type.TOPIC, prefix + "stop");
            Config c = admin.describeConfigs(List.of(r)).all().get(30, TimeUnit.SECONDS).get(r);
            assertThat(c.get("cleanup.policy").value()).isEqualTo("compact");
        }
    }

    @Test
    void stopWritesAStopKeyedByScopeAndClearWritesItsTombstone() {
        String prefix = "tstop.";
        assertThat(run("topics", "apply", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix, "--replication-factor", "1")).isZero();
        assertThat(run("stop", "--drill", "brownout-1", "--reason", "INC-9", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix))
                .as(err.toString()).isZero();
        assertThat(out.toString()).contains("'brownout-1' written to tstop.stop/0@0, unsigned").contains("drill stop --clear --drill brownout-1");
        assertThat(run("stop", "--drill", "brownout-1", "--clear", "--bootstrap-servers", bootstrap, "--topic-prefix", prefix)).isZero();

        List<ConsumerRecord<String, byte[]>> records = CommittedRecords.readToEnd(bootstrap, new Topics(prefix).stop());
        assertThat(records).hasSize(2);
        assertThat(records.get(0).key()).isEqualTo("brownout-1");
        assertThat(Codec.decodeInput(records.get(0).value())).isInstanceOfSatisfying(StopEvent.class, s -> {
            assertThat(s.scope()).isEqualTo("brownout-1");
            assertThat(s.reason()).isEqualTo("INC-9");
        });
        assertThat(records.get(1).key()).isEqualTo("brownout-1");
        assertThat(records.get(1).value()).as("a tombstone").isNull();
    }

    @Test
    void stopWithoutTheStopTopicExitsTwoNamingTheProvisioningStep() {
        assertThat(run("stop", "--all", "--bootstrap-servers", bootstrap, "--topic-prefix", "nothing-here.")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill stop: topic nothing-here.stop does not exist: run 'drill topics apply' first");
    }

    @Test
    void aProbeStartedBeforeTheTopicsExistOrOnAnAutoCreatedOneExitsTwoNamingTopicsApply() throws Exception {
        String probes = java.nio.file.Path.of("..", "plans", "probes.json").toString();
        assertThat(run("probe", "--config", probes, "--bootstrap-servers", bootstrap, "--topic-prefix", "noprobe.")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("drill probe: topic noprobe.telemetry does not exist: run 'drill topics apply' "
                + "(as an admin principal) first");
        err.getBuffer().setLength(0);
        SharedKafka.createTopic("autoprobe.telemetry", 1); // what a broker with auto-create on leaves behind
        assertThat(run("probe", "--config", probes, "--bootstrap-servers", bootstrap, "--topic-prefix", "autoprobe.")).isEqualTo(2);
        assertThat(err.toString()).contains("topic autoprobe.telemetry has 1 partition(s); it needs at least 6",
                "run 'drill topics apply'");
    }
}
