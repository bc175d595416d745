package io.failoverdrill.engine.replay;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.event.InputEvent;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Runs the core over a JSONL file of telemetry, control and ack events in arrival order and writes the decision
 * log (one canonical JSON object per line). A line that is not a valid event goes to the DLQ stream as
 * {@code {"line":N,"path":…,"reason":…,"raw":…}} and changes nothing else. Blank lines are skipped.
 */
public final class FileReplay {
    /** What a replay saw and decided. */
    public record Summary(long lines, long events, long rejected, long decisions, long failedVerdicts,
                          String finalPhase) {
        public boolean passed() {
            return failedVerdicts == 0 && finalPhase.equals("done");
        }
    }

    private FileReplay() {
    }

    public static Summary run(DrillPlan plan, InputStream events, OutputStream decisions, OutputStream dlq) {
        return run(plan, events, decisions, dlq, e -> { });
    }

    /**
     * As {@link #run(DrillPlan, InputStream, OutputStream, OutputStream)}; {@code tap} also sees every valid event up
     * to and including the one that ended the drill (what its evidence report covers).
     */
    public static Summary run(DrillPlan plan, InputStream events, OutputStream decisions, OutputStream dlq,
                              Consumer<InputEvent> tap) {
        DrillCore core = new DrillCore(plan);
        long lines = 0;
        long good = 0;
        long bad = 0;
        long made = 0;
        long failed = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(events, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                lines++;
                if (line.isBlank()) {
                    continue;
                }
                InputEvent e;
                try {
                    e = Codec.decodeInput(line.getBytes(StandardCharsets.UTF_8));
                } catch (ContractViolation v) {
                    bad++;
                    if (dlq != null) {
                        Map<String, Object> m = new TreeMap<>();
                        m.put("line", lines);
                        m.put("path", v.path());
                        m.put("reason", v.getMessage());
                        m.put("raw", line);
                        dlq.write(CanonicalJson.bytes(m));
                        dlq.write('\n');
                    }
                    continue;
                }
                good++;
                if (!core.phase().terminal()) {
                    tap.accept(e); // the report covers the drill: up to the event that ended it
                }
                for (Decision d : core.accept(e)) {
                    made++;
                    if (d instanceof Verdict v && v.failed()) {
                        failed++;
                    }
                    decisions.write(Codec.encode(d));
                    decisions.write('\n');
                }
            }
            decisions.flush();
            if (dlq != null) {
                dlq.flush();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return new Summary(lines, good, bad, made, failed, core.phase().wire());
    }
}
