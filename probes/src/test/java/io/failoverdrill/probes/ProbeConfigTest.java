package io.failoverdrill.probes;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ProbeConfigTest {
    static final String VALID = """
            {"observer": "probe-a", "timeout_ms": 1500,
             "regions": [{"name": "us-east", "service_url": "http://127.0.0.1:18080/api", "rps": 5, "follow_redirects": false}],
             "backlog": [{"region": "us-east", "group": "orders", "topic": "orders", "kafka_config": "/etc/drill/orders.properties"}]}
            """;

    @Test
    void aValidConfigKeepsItsSettings() {
        ProbeConfig c = ProbeConfig.parse(VALID.getBytes(StandardCharsets.UTF_8));
        assertThat(c.regions().get(0).followRedirects()).isFalse();
        assertThat(c.backlog().get(0).kafkaConfig()).isEqualTo("/etc/drill/orders.properties");
    }

    @Test
    void theAnyServiceExampleIsValidAndNeverShowsItsToken() throws Exception {
        byte[] example = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("..", "plans", "probes-any-service.json"));
        ProbeConfig c = ProbeConfig.parse(example, java.util.Map.of("API_TOKEN", "Bearer example-token"));
        assertThat(c.regions()).hasSize(2).allSatisfy(r -> {
            assertThat(r.request().method()).isEqualTo("POST");
            assertThat(r.request().headers()).containsEntry("Authorization", "Bearer example-token");
            assertThat(r.status().health().readyEquals()).isEqualTo("UP");
            assertThat(r.status().backlog().pointers()).containsEntry("length", "/depth");
        });
        assertThat(c.toString()).doesNotContain("example-token");
    }

    @Test
    void unknownFieldsAreErrorsWithTheirPathAndTheNearestKnownName() {
        String broken = VALID.replace("\"rps\"", "\"rsp\"").replace("\"timeout_ms\"", "\"timout_ms\"");
        ProbeConfig.Invalid e = catchThrowableOfType(ProbeConfig.Invalid.class,
                () -> ProbeConfig.parse(broken.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.errors()).anySatisfy(m -> assertThat(m).startsWith("$.timout_ms: is not a field").contains("`timeout_ms`"))
                .anySatisfy(m -> assertThat(m).startsWith("$.regions[0].rsp: is not a field").contains("`rps`"));
    }
}
