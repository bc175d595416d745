package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.core.DrillCore;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.event.InputEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Reactor pipeline around the pure core: batches from the {@link EventLogPort} are decoded, fed to the
 * {@link DrillCore} one record at a time in arrival order, and the resulting commands, decision-log lines and DLQ
 * records are committed with the batch's offsets. Batches are processed strictly one after another
 * ({@code concatMap}), so the core is never touched by two threads. A record that fails decoding goes to the DLQ
 * with its reason and source coordinates; nothing else is affected.
 */
public final class DrillRuntime {
    /** DLQ headers. */
    public static final String H_REASON = "drill.dlq.reason";
    public static final String H_PATH = "drill.dlq.path";
    public static final String H_SOURCE = "drill.dlq.source";

    private final DrillCore core;
    private final EventLogPort log;
    private final Counter consumed;
    private final Counter dlq;
    private final Counter decisions;

    public DrillRuntime(DrillCore core, EventLogPort log, MeterRegistry meters) {
        this.core = core;
        this.log = log;
        MeterRegistry m = meters == null ? new SimpleMeterRegistry() : meters;
        this.consumed = m.counter("drill.records.consumed");
        this.dlq = m.counter("drill.records.dlq");
        this.decisions = m.counter("drill.decisions");
    }

    /** Runs until cancelled; emits every decision after the transaction holding it has committed. */
    public Flux<Decision> run() {
        return log.process(records -> {
            List<OutboundRecord> out = new ArrayList<>();
            List<Decision> made = new ArrayList<>();
            for (InboundRecord r : records) {
                consumed.increment();
                InputEvent event;
                try {
                    event = Codec.decodeInput(r.value());
                } catch (ContractViolation v) {
                    dlq.increment();
                    out.add(deadLetter(r, v));
                    continue;
                }
                for (Decision d : core.accept(event)) {
                    made.add(d);
                    out.addAll(route(d));
                }
            }
            decisions.increment(made.size());
            return new EventLogPort.BatchResult<>(out, made);
        });
    }

    public DrillCore core() {
        return core;
    }

    static List<OutboundRecord> route(Decision d) {
        byte[] bytes = Codec.encode(d);
        OutboundRecord logLine = new OutboundRecord(OutboundRecord.Destination.DECISIONS, d.drillId(), bytes, Map.of());
        if (d instanceof Command c) {
            OutboundRecord.Destination dest = c.body().family() == CommandBody.Family.CLAMP
                    ? OutboundRecord.Destination.CLAMP_COMMANDS : OutboundRecord.Destination.CUTOVER_COMMANDS;
            return List.of(new OutboundRecord(dest, d.drillId(), bytes, Map.of()), logLine);
        }
        return List.of(logLine);
    }

    static OutboundRecord deadLetter(InboundRecord r, ContractViolation v) {
        Map<String, String> headers = new TreeMap<>();
        headers.put(H_REASON, v.getMessage());
        headers.put(H_PATH, v.path());
        headers.put(H_SOURCE, r.topic() + "/" + r.partition() + "@" + r.offset());
        String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
        return new OutboundRecord(OutboundRecord.Destination.DLQ, key, r.value() == null ? new byte[0] : r.value(), headers);
    }
}
