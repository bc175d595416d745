package io.failoverdrill.cli;

import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressPrinterTest {
    @Test
    void aStatusSnapshotOlderOrNewerThanTheLastPrintedDecisionIsNotShown() {
        StringWriter text = new StringWriter();
        ProgressPrinter printer = new ProgressPrinter(new PrintWriter(text));
        printer.print(new PhaseChange("d", 1, 0, Phase.IDLE, Phase.PRECHECK));
        printer.print(new PhaseChange("d", 2, 0, Phase.PRECHECK, Phase.EVACUATE));

        printer.status(Map.of("phase", "precheck", "waiting", "baseline 9/10 s", "last_seq", 1L), 0);
        printer.status(Map.of("phase", "promote", "last_seq", 3L), 0);
        assertThat(text.toString()).doesNotContain("status");

        printer.status(Map.of("phase", "evacuate", "waiting", "acks of the evacuate commands", "last_seq", 2L), 0);
        assertThat(text.toString()).contains("status   evacuate · waiting for acks of the evacuate commands");
    }
}
