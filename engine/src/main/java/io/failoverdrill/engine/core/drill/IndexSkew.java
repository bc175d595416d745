package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.CheckRegistry;
import io.failoverdrill.engine.core.check.CheckResult;
import io.failoverdrill.engine.core.check.ContractsEqual;
import io.failoverdrill.engine.core.check.DeltaS;
import io.failoverdrill.engine.core.check.IndexHashParity;
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
 *       ({@link SkewFinding}) instead of requiring parity;</li>
 *   <li>evacuate: refuse to serve the skewed regions (weight 0) and rebuild them from the survivor's artifact;
 *       no promotion (the writer does not change);</li>
 *   <li>verify: wait for INDEX_HASH parity (within {@code timeline.rebuild_timeout_s}) and fresh answers from the
 *       rebuilt index, then judge parity, contracts and ΔS;</li>
 *   <li>return home: restore the rebuilt regions' weight along {@code gradual_weights} towards an even share.</li>
 * </ul>
 */
final class IndexSkew implements DrillScript {
    private SkewFinding finding;
    private HomeSequence home;

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
        List<String> skewed = finding.skewed();
        if (!skewed.isEmpty()) {
            d.issue(nowMs, d.evacuateStep(), "evacuate.refuse_skewed_index", evidence, new CommandBody.SetWeights(
                    Weights.without(d.plan().regions(), skewed, d.plan().promoteSurvivor())));
        }
        for (String r : skewed) {
            d.issue(nowMs, d.evacuateStep(), "evacuate.rebuild_from_artifact", evidence,
                    new CommandBody.RebuildIndex(r, finding.artifactHash()));
        }
    }

    @Override
    public void evacuated(Drill d, long nowMs) {
        d.moveTo(nowMs, Phase.VERIFY); // no writer changes: the survivor keeps serving while the region is rebuilt
    }

    @Override
    public void promote(Drill d, long nowMs, Map<String, Object> evidence) {
        // never promotes
    }

    /** Parity (or the rebuild timeout), then answers from the rebuilt index, then the verdicts and the way back. */
    @Override
    public void verify(Drill d, long nowMs) {
        boolean parity = notServable(d).isEmpty();
        boolean late = nowMs - d.phaseStartMs() > d.plan().timeline().rebuildTimeoutS() * 1000L;
        if (!parity && !late) {
            return;
        }
        if (parity && d.ragSinceMs() == Long.MIN_VALUE) {
            d.ragAnswersSince(nowMs); // answers from before describe the skewed index, not the rebuilt one
        }
        Set<String> skewed = new TreeSet<>(finding.skewed());
        RagView anyTime = new RagView(d.regions().values(), skewed);
        RagView rag = parity ? new RagView(d.regions().values(), skewed, d.ragSinceMs()) : anyTime;
        boolean awaitingFreshAnswers = parity && rag.questions() < anyTime.questions()
                && nowMs - d.ragSinceMs() < d.plan().detect().windowS() * 1000L;
        if (awaitingFreshAnswers) {
            return; // the questions asked before are asked again of the rebuilt index (≤ one window)
        }
        d.emit(nowMs, new IndexHashParity().evaluate(d));
        d.emit(nowMs, new ContractsEqual().evaluate(d));
        if (!rag.isEmpty() || CheckRegistry.listed(d.plan(), "delta_s_probe", "lambda_state", "answers_equal")) {
            d.emit(nowMs, new DeltaS(rag, "rag_probe events from the rebuilt region").evaluate(d));
        }
        if (!parity) {
            d.finish(nowMs);
            return;
        }
        d.moveTo(nowMs, Phase.RETURN_HOME);
        int regions = d.plan().regions().size();
        int homes = skewed.size();
        home = new HomeSequence(d, finding.skewed(), HomeSequence.Step.WEIGHTS, false,
                step -> (int) Math.round(step / 100.0 * (100 / regions) * homes));
    }

    @Override
    public void returnHome(Drill d, long nowMs) {
        if (home.step(d, nowMs)) {
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
