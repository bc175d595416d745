package io.failoverdrill.cli;

import io.failoverdrill.kafka.testkit.SharedKafka;
import io.failoverdrill.schemas.decision.Verdict;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A verdict can fail: a write the simulation acknowledges and then loses is caught by write_loss, by its id. */
class NegativeControlTest {
    @Test
    void aLostWriteFailsTheDrillAndTheEvidenceNamesIt() throws InterruptedException {
        StringWriter console = new StringWriter();
        try (DemoDrill demo = new DemoDrill(new PrintWriter(console, true))) {
            DemoDrill.Result r = demo.run(PlanFiles.bundled("demo-brownout"), SharedKafka.bootstrapServers(), "negative.",
                    Duration.ofSeconds(120), 200, Breakage.WRITE_LOSS);
            assertThat(r.passed()).as(console.toString()).isFalse();
            List<Verdict> failed = r.decisions().stream().filter(d -> d instanceof Verdict v && !v.pass())
                    .map(d -> (Verdict) d).toList();
            assertThat(failed).extracting(Verdict::check).containsExactly("write_loss");
            Verdict loss = failed.get(0);
            assertThat(loss.value()).isEqualTo(1L);
            assertThat((List<?>) loss.evidence().get("lost_ids")).hasSize(1);
            assertThat(console.toString()).contains("break    write_loss");
        }
    }
}
