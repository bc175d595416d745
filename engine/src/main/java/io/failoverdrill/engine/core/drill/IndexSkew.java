package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.engine.core.check.CheckResult;
import io.failoverdrill.engine.core.check.SkewFinding;
import io.failoverdrill.engine.core.signal.RagView;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * C) Index skew recovery: a follower published with the wrong metric or analyzer; contracts refuse its reuse and
 * force a rebuild.
 * <ul>
 *   <li>precheck: the gate finds every region whose INDEX_HASH, metric or analyzer differs from the survivor's
 *       ({@link SkewFinding}); the index-parity pre-checks are not applicable (the skew is the drill's fault);</li>
 *   <li>evacuate: refuse to serve the skewed regions (weight 0) — the cutover, timed by {@code cutover_time} — and
 *       rebuild them from the survivor's artifact; no promotion (the writer does not change);</li>
 *   <li>observe: as a brownout, on the regions still serving;</li>
 *   <li>verify: wait for INDEX_HASH parity (within {@code timeline.rebuild_timeout_s}) and fresh answers from the
 *       rebuilt index, then every live check and acceptance target;</li>
 *   <li>return home: restore the rebuilt regions' weight along {@code gradual_weights}; then the closeout's checks
 *       (ΔS judged on the rebuilt index only).</li>
 * </ul>
 */
final class IndexSkew implements DrillScript {
    private SkewFinding finding;
    private HomeSequence home;
    private CommandStep rebuild;

    @Override
    public DrillType type() {
        return DrillType.INDEX_SKEW;
    }

    @Override
    public Scenario scenario() {
        return new Scenario("index_skew", Scenario.FaultTiming.BEFORE_START, false);
    }

    @Override
    public List<CheckResult> preChecks(Drill d) {
        List<CheckResult> out = new ArrayList<>(CheckRegistry.preChecks(d, true));
        finding = SkewFinding.of(d.regions(), d.plan().promoteSurvivor());
        out.add(finding.detectedVerdict());
        out.add(finding.refusedVerdict());
        return out;
    }

    @Override
    public void evacuate(Drill d, long nowMs, String rulePrefix, Map<String, Object> evidence) {
        d.issue(nowMs, d.evacuateStep(), "evacuate.refuse_skewed_index", evidence,
                new CommandBody.SetWeights(d.drained(finding.skewed())));
        rebuild = d.issuer().newStep();
        for (String r : finding.skewed()) {
            d.issue(nowMs, rebuild, "evacuate.rebuild_from_artifact", evidence,
                    new CommandBody.RebuildIndex(r, finding.artifactHash()));
        }
    }

    @Override
    public void evacuated(Drill d, long nowMs) {
        d.cutoverDone(nowMs); // no writer changes: the survivor keeps serving while the region is rebuilt
    }

    @Override
    public void promote(Drill d, long nowMs, Map<String, Object> evidence) {
        // never promotes
    }

    /** Parity (or the rebuild timeout, or a rejected rebuild), fresh answers, then the verdicts and the way back. */
    @Override
    public void verify(Drill d, long nowMs) {
        boolean parity = notServable(d).isEmpty();
        boolean late = nowMs - d.phaseStartMs() > d.plan().timeline().rebuildTimeoutS() * 1000L
                || !rebuild.rejected().isEmpty();
        if (!parity && !late) {
            return;
        }
        if (parity && d.ragSinceMs() == Long.MIN_VALUE) {
            d.ragAnswersSince(nowMs); // answers from before describe the skewed index, not the rebuilt one
        }
        if (parity && awaitingFreshAnswers(d, nowMs)) {
            return;
        }
        if (!d.verdictsAfterCutover(nowMs)) {
            return;
        }
        if (!parity) {
            d.postVerdicts(nowMs, false);
            d.finish(nowMs);
            return;
        }
        d.moveTo(nowMs, Phase.RETURN_HOME);
        home = new HomeSequence(d, finding.skewed(), HomeSequence.Step.WEIGHTS, false);
    }

    /** The questions the region answered before are asked again of the rebuilt index (waits at most one window). */
    private boolean awaitingFreshAnswers(Drill d, long nowMs) {
        Set<String> skewed = new TreeSet<>(finding.skewed());
        RagView anyTime = new RagView(d.regions().values(), skewed);
        RagView fresh = new RagView(d.regions().values(), skewed, d.ragSinceMs());
        return fresh.questions() < anyTime.questions() && nowMs - d.ragSinceMs() < d.plan().detect().windowS() * 1000L;
    }

    @Override
    public void returnHome(Drill d, long nowMs) {
        if (home.step(d, nowMs)) {
            d.postVerdicts(nowMs, false);
            d.finish(nowMs);
        }
    }

    /** Skewed regions not yet rebuilt to the artifact. */
    @Override
    public Set<String> notServable(Drill d) {
        Set<String> out = new TreeSet<>();
        if (finding == null) {
            return out;
        }
        for (String r : finding.skewed()) {
            Telemetry.IndexMeta m = d.regions().get(r).agreedIndex();
            if (m == null || !m.indexHash().equals(finding.artifactHash())) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public String verifyWaiting(long inPhaseS, int timeoutS) {
        return "rebuild parity, timeout " + inPhaseS + "/" + timeoutS + " s";
    }
}
