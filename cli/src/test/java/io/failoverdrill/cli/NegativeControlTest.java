package io.failoverdrill.cli;

import io.failoverdrill.engine.kafka.ClientProperties;
import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.plan.DrillType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every drill type's verdicts can fail on the real simulation: each negative control breaks the world in one way,
 * and the drill fails with exactly the verdict that must catch it, its evidence saying why.
 */
class NegativeControlTest {
    @ParameterizedTest(name = "{0} + {1} → {2}")
    @CsvSource({"brownout,write_loss,lost_ids", "blackhole,slow_survivor,regions",
            "index_skew,no_rebuild,truncate-5", "webhook_reroute,duplicate_webhooks,repeated_key_samples",
            "return_home,split_brain,other_writers", "blackhole,survivor_down,no healthy target",
            "brownout,silent_stick,announcing_none"})
    void aBrokenWorldFailsTheDrillWithTheVerdictThatCatchesIt(String drill, String breakage, String evidence)
            throws InterruptedException {
        Breakage broken = Breakage.parse(breakage);
        assertThat(broken.drills()).contains(DrillType.fromWire(drill));
        StringWriter console = new StringWriter();
        try (DemoDrill demo = new DemoDrill(new PrintWriter(console, true))) {
            DemoDrill.Result r = demo.run(PlanFiles.bundled("demo-" + drill), ClientProperties.of(SharedKafka.bootstrapServers()),
                    "negative-" + breakage + ".", Duration.ofSeconds(150), 200, broken);
            assertThat(r.passed()).as(console.toString()).isFalse();
            List<Verdict> failed = r.decisions().stream().filter(d -> d instanceof Verdict v && v.failed())
                    .map(d -> (Verdict) d).toList();
            assertThat(failed).as(console.toString()).extracting(Verdict::check).contains(broken.verdict());
            Verdict caught = failed.stream().filter(v -> v.check().equals(broken.verdict())).findFirst().orElseThrow();
            assertThat(io.failoverdrill.schemas.CanonicalJson.string(caught.evidence())).contains(evidence);
            assertThat(console.toString()).contains("break    " + breakage);
            if (broken == Breakage.SURVIVOR_DOWN) {
                assertThat(r.decisions()).as("no traffic moved into the failing survivor")
                        .noneMatch(d -> d instanceof Command c && c.body() instanceof CommandBody.SetWeights);
            }
        }
    }
}
