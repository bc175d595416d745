package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.LedgerBook;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.Map;
import java.util.Set;

/** Everything a check may read about one drill at the tick it is evaluated (event time, never wall clock). */
public interface DrillFacts {
    DrillPlan plan();

    /** The tick the checks are evaluated at: a whole second of the watermark, epoch ms. */
    long nowMs();

    /** Every region of the plan, in plan order. */
    Map<String, RegionSignals> regions();

    LedgerBook ledgers();

    LiveRecord live();

    /** What the service's responses announced as their stick region, from the evacuation decision on. */
    StickAnnouncements stickAnnouncements();

    Milestones milestones();

    /** Latency over the pre-check baseline window. */
    LatencyStats baseline(String region);

    /** Latency over the observation phase. */
    LatencyStats observed(String region);

    /** Regions that currently carry traffic by the weights issued (all regions before any weights). */
    Set<String> served();

    /** The latency SLO of {@code region} (ms): {@code detect.p95_ms}, else its baseline p95 × {@code p95_ratio_max}. */
    double slo(String region);

    /** The RAG probe set as of the gate (before the drill changed anything), or null before the gate. */
    RagView ragBefore();

    /** RAG answers measured before this event time describe an index the drill has since replaced. */
    long ragSinceMs();

    /** Late events so far (counted, never used). */
    long lateEvents();

    /** Each region given traffic or the writer by the cutover decision, with its health then (empty before it). */
    Map<String, RegionHealth> healthAtDecision();

    /** True when the state before the drill was broken on purpose (an injected skew): judge RAG quality after only. */
    boolean ragBeforeIsInjectedFault();
}
