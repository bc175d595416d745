package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.kafka.testkit.RealPrograms;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Verdict;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drills through a real HAProxy (Debian's package, its own process) in front of the simulated regions: user traffic
 * and probes go through it, the engine's {@code set_weights} moves its server weights through the runtime API, and the
 * verdicts come from what the probes measured through it — a brownout passes, and broken worlds still fail.
 */
class HaproxyDrillTest {
    static Path haproxy;

    @BeforeAll
    static void findHaproxy() {
        haproxy = RealPrograms.find("haproxy", "/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy");
    }

    @Test
    void aBrownoutThroughHaproxyPassesAndHaproxyHoldsTheCommandedWeights() throws InterruptedException {
        StringWriter console = new StringWriter();
        try (DemoDrill demo = new DemoDrill(new PrintWriter(console, true)).throughHaproxy(haproxy)) {
            DemoDrill.Result r = demo.run(PlanFiles.bundled("demo-brownout"), ClientProperties.of(SharedKafka.bootstrapServers()),
                    "haproxy-pass.", Duration.ofSeconds(150), 200, null);
            assertThat(r.passed()).as(console.toString()).isTrue();
            List<Map<String, Integer>> commanded = r.decisions().stream()
                    .filter(d -> d instanceof Command c && c.body() instanceof CommandBody.SetWeights)
                    .map(d -> (Map<String, Integer>) ((CommandBody.SetWeights) ((Command) d).body()).weights()).toList();
            assertThat(commanded).as(console.toString()).isNotEmpty();
            assertThat(r.balancerWeights()).as("show servers state app after the cutover")
                    .isEqualTo(commanded.get(commanded.size() - 1)).containsEntry("us-east", 0);
            assertThat(console.toString())
                    .contains("HAProxy 2.").contains("through HAProxy")
                    .containsPattern("applied set_weights \\(seq \\d+\\) → \\{backend=app, observed_weights=\\{eu-west=100, us-east=0}}")
                    .contains("acked_by\":\"haproxy-actuator\"");
            assertThat(r.routedRequests()).as("HAProxy balanced users over both regions before the cutover")
                    .containsKeys("us-east", "eu-west");
            assertThat(r.routedRequests().get("eu-west")).isGreaterThan(r.routedRequests().get("us-east"));
        }
    }

    @ParameterizedTest(name = "brownout + {0} through HAProxy → {1}")
    @CsvSource({"slow_survivor,p95_ratio", "split_brain,single_writer"})
    void aBrokenWorldStillFailsThroughHaproxy(String breakage, String verdict) throws InterruptedException {
        StringWriter console = new StringWriter();
        try (DemoDrill demo = new DemoDrill(new PrintWriter(console, true)).throughHaproxy(haproxy)) {
            DemoDrill.Result r = demo.run(PlanFiles.bundled("demo-brownout"), ClientProperties.of(SharedKafka.bootstrapServers()),
                    "haproxy-" + breakage + ".", Duration.ofSeconds(150), 200, Breakage.parse(breakage));
            assertThat(r.passed()).as(console.toString()).isFalse();
            assertThat(r.decisions().stream().filter(d -> d instanceof Verdict v && v.failed()).map(d -> ((Verdict) d).check()))
                    .as(console.toString()).contains(verdict);
        }
    }
}
