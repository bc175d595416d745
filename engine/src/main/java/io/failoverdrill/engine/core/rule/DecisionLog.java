package io.failoverdrill.engine.core.rule;

import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.decision.PhaseChange;
import io.failoverdrill.schemas.decision.Reason;
import io.failoverdrill.schemas.decision.Verdict;
import io.failoverdrill.schemas.decision.VerdictStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Numbers the decisions of one drill ({@code seq} 1, 2, 3 … shared by commands, phases and verdicts). */
public final class DecisionLog {
    private final String drillId;
    private long seq;
    private final List<Decision> pending = new ArrayList<>();
    /** Regions with a clamp in force: clamped and not released since. */
    private final java.util.Set<String> clamped = new java.util.TreeSet<>();
    private volatile int clampsInForce;

    public DecisionLog(String drillId) {
        this.drillId = drillId;
    }

    public PhaseChange phase(long tsMs, Phase from, Phase to) {
        return phase(tsMs, from, to, null);
    }

    /** A phase change resting on {@code evidence} (null: none). */
    public PhaseChange phase(long tsMs, Phase from, Phase to, Map<String, Object> evidence) {
        return add(new PhaseChange(drillId, ++seq, tsMs, from, to, evidence));
    }

    public Command command(long tsMs, String rule, Map<String, Object> evidence, CommandBody body) {
        long s = ++seq;
        if (body instanceof CommandBody.Clamp c) {
            clamped.add(c.region());
        } else if (body instanceof CommandBody.ReleaseClamp r) {
            clamped.remove(r.region());
        }
        clampsInForce = clamped.size();
        return add(Command.of(drillId, s, tsMs, new Reason(rule, new TreeMap<>(evidence)), body));
    }

    public Verdict verdict(long tsMs, String check, VerdictStatus status, Object value, Object limit,
                           Map<String, Object> evidence) {
        return add(new Verdict(drillId, ++seq, tsMs, check, status, value, limit, new TreeMap<>(evidence)));
    }

    private <D extends Decision> D add(D d) {
        pending.add(d);
        return d;
    }

    /** The decisions made since the last drain, in order. */
    public List<Decision> drain() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<Decision> out = List.copyOf(pending);
        pending.clear();
        return out;
    }

    public long lastSeq() {
        return seq;
    }

    /** Regions with a clamp in force (safe to read from any thread). */
    public int clampsInForce() {
        return clampsInForce;
    }

    /** Continues after a restored snapshot's {@code lastSeq}, with its clamps in force. */
    public void continueAfter(long lastSeq, java.util.Collection<String> clampedRegions) {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("decisions pending: drain them before restoring");
        }
        this.seq = lastSeq;
        clamped.clear();
        clamped.addAll(clampedRegions);
        clampsInForce = clamped.size();
    }

    public String drillId() {
        return drillId;
    }
}
