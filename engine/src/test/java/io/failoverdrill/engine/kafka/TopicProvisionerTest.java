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
}
