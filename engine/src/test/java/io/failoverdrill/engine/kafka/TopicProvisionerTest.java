package io.failoverdrill.engine.kafka;

import io.failoverdrill.kafka.testkit.SharedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TopicProvisionerTest {
    static void create(String bootstrap, NewTopic topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void createsEveryTopicUnderThePrefixWithTheIntendedLayoutAndIsIdempotent() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov1.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        TopicProvisioner.ensure(bootstrap, t, (short) 1); // a second engine start finds them fine
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(names).contains(t.telemetry(), t.control(), t.acks(), t.cutoverCommands(), t.clampCommands(),
                    t.decisions(), t.dlq(), t.state(), t.reports(), t.journal(), t.plans());
            assertThat(admin.describeTopics(List.of(t.telemetry())).allTopicNames().get().get(t.telemetry()).partitions()).hasSize(6);
        }
    }

    @Test
    void refusesAStateTopicThatIsNotCompacted() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov2.");
        create(bootstrap, new NewTopic(t.state(), 1, (short) 1));
        assertThatThrownBy(() -> TopicProvisioner.ensure(bootstrap, t, (short) 1))
                .hasMessageContaining("topic prov2.state has cleanup.policy=delete; it needs compact: delete it and run 'drill topics apply'");
    }

    @Test
    void refusesATelemetryTopicWithTooFewPartitions() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov3.");
        create(bootstrap, new NewTopic(t.telemetry(), 2, (short) 1));
        assertThatThrownBy(() -> TopicProvisioner.ensure(bootstrap, t, (short) 1))
                .hasMessageContaining("topic prov3.telemetry has 2 partition(s); it needs at least 6 (was it auto-created by a producer?");
    }

    @Test
    void verifyCreatesNothingAndNamesTheMissingTopicAndTheProvisioningStep() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov4.");
        java.util.Map<String, Object> client = ClientProperties.of(bootstrap);
        assertThatThrownBy(() -> TopicProvisioner.verify(client, t, java.util.List.of(t.telemetry(), t.stop())))
                .hasMessage("topic prov4.telemetry does not exist: run 'drill topics apply' (as an admin principal) first");
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(client)) {
            assertThat(admin.listTopics().names().get()).noneMatch(n -> n.startsWith("prov4."));
        }
        TopicProvisioner.ensure(client, t, (short) 1);
        TopicProvisioner.verify(client, t, java.util.List.of(t.telemetry(), t.stop()));
    }

    @Test
    void applySetsTheLayoutsConfigsOnExistingTopicsButKeepsAValueSetOnTheTopic() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov5.");
        // an older layout's state topic (compacted, the broker's segments) and an operator's shorter telemetry retention
        create(bootstrap, new NewTopic(t.state(), 1, (short) 1).configs(Map.of("cleanup.policy", "compact")));
        create(bootstrap, new NewTopic(t.telemetry(), 6, (short) 1).configs(Map.of("retention.ms", "259200000")));
        awaitTopics(bootstrap, t.state(), t.telemetry());
        TopicProvisioner.Applied applied = TopicProvisioner.apply(ClientProperties.of(bootstrap), t, (short) 1);
        assertThat(applied.created()).doesNotContain(t.state(), t.telemetry()).contains(t.journal());
        assertThat(applied.set()).containsExactlyInAnyOrder("prov5.state: segment.ms=3600000", "prov5.state: segment.bytes=67108864");
        assertThat(applied.kept()).containsExactly("prov5.telemetry: retention.ms=259200000 (the layout's: 604800000)");
        // the broker takes the change from the metadata log a moment later
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(config(bootstrap, t.state(), "segment.ms")).isEqualTo("3600000"));
        assertThat(config(bootstrap, t.telemetry(), "retention.ms")).isEqualTo("259200000");
        TopicProvisioner.Applied again = TopicProvisioner.apply(ClientProperties.of(bootstrap), t, (short) 1);
        assertThat(again.created()).isEmpty();
        assertThat(again.set()).as("nothing left to set").isEmpty();
    }

    @Test
    void anEarlierLayoutsForeverJournalIsReplacedButAnOperatorsValueKept() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics older = new Topics("prov8.");
        Topics tuned = new Topics("prov9.");
        create(bootstrap, new NewTopic(older.journal(), 1, (short) 1).configs(Map.of("retention.ms", "-1")));
        create(bootstrap, new NewTopic(tuned.journal(), 1, (short) 1).configs(Map.of("retention.ms", "2592000000")));
        awaitTopics(bootstrap, older.journal(), tuned.journal());
        TopicProvisioner.Applied upgraded = TopicProvisioner.apply(ClientProperties.of(bootstrap), older, (short) 1);
        assertThat(upgraded.set()).containsExactly("prov8.journal: retention.ms=1209600000 (was -1, an earlier layout's)");
        assertThat(upgraded.kept()).isEmpty();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(config(bootstrap, older.journal(), "retention.ms")).isEqualTo("1209600000"));
        TopicProvisioner.Applied operators = TopicProvisioner.apply(ClientProperties.of(bootstrap), tuned, (short) 1);
        assertThat(operators.kept()).containsExactly("prov9.journal: retention.ms=2592000000 (the layout's: 1209600000)");
    }

    @Test
    void aNewStateTopicClosesItsSegmentsAndANewJournalKeepsTwoWeeks() throws Exception {
        String bootstrap = SharedKafka.bootstrapServers();
        Topics t = new Topics("prov6.");
        TopicProvisioner.ensure(bootstrap, t, (short) 1);
        assertThat(config(bootstrap, t.journal(), "retention.ms")).isEqualTo("1209600000");
        assertThat(config(bootstrap, t.state(), "segment.ms")).isEqualTo("3600000");
        assertThat(config(bootstrap, t.state(), "segment.bytes")).isEqualTo("67108864");
        assertThat(config(bootstrap, t.state(), "cleanup.policy")).isEqualTo("compact");
    }

    /** Until the broker lists {@code topics} (created a moment ago). */
    private static void awaitTopics(String bootstrap, String... topics) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                return admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(List.of(topics));
            }
        });
    }

    private static String config(String bootstrap, String topic, String key) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var resource = new org.apache.kafka.common.config.ConfigResource(org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
            return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(key).value();
        }
    }
}
