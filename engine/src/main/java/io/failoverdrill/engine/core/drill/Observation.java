package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.LiveRecord;
import io.failoverdrill.engine.core.rule.ClampController;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The observe phase (seed runbook step 4): every second, each serving region's p95 and errors over the detection
 * window, its backlog, ΔS and λ of the probe set and INDEX_HASH parity go into the drill's {@link LiveRecord}; a
 * {@link ClampController} per serving region clamps it when it degrades. After {@code timeline.observe_s} the drill
 * moves on to {@code verify}.
 */
final class Observation {
    private final Map<String, ClampController> clamps = new TreeMap<>();

    void step(Drill d, long nowMs) {
        int window = d.plan().detect().windowS();
        LiveRecord live = d.live();
        Set<String> served = d.served();
        RagView rag = new RagView(d.regions().values(), served);
        for (String r : served) {
            RegionSignals s = d.regions().get(r);
            LatencyStats p = s.latency(nowMs, window, false);
            live.servingRegion(p, s.errors(nowMs, window), s);
            ClampController clamp = clamps.computeIfAbsent(r, k -> new ClampController(d.plan(), k, d.slo(k)));
            ClampController.Step c = clamp.evaluate(nowMs, p.isEmpty() ? Double.NaN : p.p95(), rag.maxDeltaS(r));
            if (c != null) {
                d.issue(nowMs, null, c.rule(), c.evidence(), c.body());
                live.clampIssued(c.body().type());
            }
        }
        live.ragObserved(rag);
        Set<String> hashes = new TreeSet<>();
        for (String r : served) {
            Telemetry.IndexMeta m = d.regions().get(r).agreedIndex();
            if (m != null) {
                hashes.add(m.indexHash());
            }
        }
        live.indexHashesObserved(hashes);
        if (nowMs - d.phaseStartMs() >= d.plan().timeline().observeS() * 1000L) {
            d.moveTo(nowMs, Phase.VERIFY);
        }
    }
}
