package io.failoverdrill.engine.report;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VerdictSentencesTest {
    @Test
    void passFailNoDataAndNotApplicableReadDifferently() {
        assertThat(VerdictSentences.sentence(Map.of("check", "write_loss", "status", "fail", "value", 1, "limit", 0,
                "evidence", Map.of("lost", 1))))
                .isEqualTo("Writes acknowledged and never applied: 1 against the limit 0 — beyond the target.");
        assertThat(VerdictSentences.sentence(Map.of("check", "write_loss", "status", "fail", "limit", 0,
                "evidence", Map.of("reason", "no data: write events with state acked"))))
                .startsWith("No data — nothing arrived to judge writes acknowledged and never applied: missing write events");
        assertThat(VerdictSentences.sentence(Map.of("check", "webhook_duplicates", "status", "not_applicable",
                "evidence", Map.of("reason", "not applicable: the plan marks it so (acceptance.not_applicable)"))))
                .isEqualTo("Not applicable — the plan marks it so (acceptance.not_applicable).");
    }

    @Test
    void perRegionEvidenceBecomesOneRowPerRegion() {
        var rows = VerdictSentences.rows(Map.of("regions", Map.of("eu-west", Map.of("ratio", 1.1), "ap-south", Map.of("ratio", 0.9)),
                "observe_s", 15));
        assertThat(rows).extracting(r -> r[0] + " = " + r[1])
                .containsExactly("observe_s = 15", "regions · ap-south = ratio 0.9", "regions · eu-west = ratio 1.1");
    }
}
