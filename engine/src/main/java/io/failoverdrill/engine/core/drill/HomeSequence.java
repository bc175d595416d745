package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.IndexHashParity;
import io.failoverdrill.engine.core.check.ReturnHomeRejected;
import io.failoverdrill.engine.core.signal.LatencyStats;
import io.failoverdrill.engine.core.signal.RegionSignals;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.event.Telemetry;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Bringing regions home (seed runbook step 6), one step after the acks of the one before: rebuild their index
 * from the survivor's artifact, confirm INDEX_HASH parity (within {@code timeline.rebuild_timeout_s}), purge and
 * re-warm their caches, unfreeze their writes, then restore their weight along {@code gradual_weights} (percent of
 * the share they had before the drill, the others scaled to the rest), each step once they stayed healthy for
 * {@code routing.hysteresis_s}. A rejected command fails {@code return_home} and
 * aborts.
 */
final class HomeSequence {
    /** Where the sequence is. */
    enum Step { REBUILD, AWAIT_REBUILD, PARITY, CACHE, UNFREEZE, WEIGHTS, FINISH }

    private final List<String> homes;
    private final boolean unfreeze;
    private Step step;
    private CommandStep commands;
    private String artifactHash;
    private int weightStep;
    private int healthyS;

    /**
     * @param first     where to begin ({@link Step#REBUILD}, or {@link Step#WEIGHTS} when already rebuilt)
     * @param unfreeze  whether the homes' writes were frozen and must be unfrozen
     */
    HomeSequence(Drill d, List<String> homes, Step first, boolean unfreeze) {
        this.homes = List.copyOf(homes);
        this.step = first;
        this.unfreeze = unfreeze;
        this.commands = d.issuer().newStep();
    }

    List<String> homes() {
        return homes;
    }

    /** One tick; true once the last step's commands are all applied. */
    boolean step(Drill d, long nowMs) {
        Map<String, Object> evidence = new TreeMap<>();
        evidence.put("home", homes);
        switch (step) {
            case REBUILD -> {
                commands = d.issuer().newStep();
                Telemetry.IndexMeta reference = d.regions().get(d.plan().promoteSurvivor()).agreedIndex();
                artifactHash = reference == null ? null : reference.indexHash();
                if (d.plan().returnToHome().rebuildFollower() && artifactHash != null) {
                    homes.forEach(h -> d.issue(nowMs, commands, "return_home.rebuild_from_artifact", evidence,
                            new CommandBody.RebuildIndex(h, artifactHash)));
                    step = Step.AWAIT_REBUILD;
                } else {
                    step = Step.PARITY;
                }
            }
            case AWAIT_REBUILD -> {
                if (acked(d, nowMs)) {
                    step = Step.PARITY;
                }
            }
            case PARITY -> parity(d, nowMs, evidence);
            case CACHE -> {
                if (acked(d, nowMs)) {
                    commands = d.issuer().newStep();
                    if (unfreeze && d.plan().freezeWritesOnFollowers()) {
                        d.issue(nowMs, commands, "return_home.unfreeze_writes", evidence, new CommandBody.UnfreezeWrites(homes));
                    }
                    step = Step.UNFREEZE;
                }
            }
            case UNFREEZE -> {
                if (acked(d, nowMs)) {
                    step = Step.WEIGHTS;
                }
            }
            case WEIGHTS -> restoreWeights(d, nowMs, evidence);
            case FINISH -> {
                return acked(d, nowMs);
            }
        }
        return false;
    }

    /** Parity with the artifact → purge and re-warm caches; no parity within the rebuild timeout → abort. */
    private void parity(Drill d, long nowMs, Map<String, Object> evidence) {
        boolean parity = homes.stream().allMatch(h -> {
            Telemetry.IndexMeta m = d.regions().get(h).agreedIndex();
            return m != null && (artifactHash == null || m.indexHash().equals(artifactHash));
        });
        if (parity) {
            commands = d.issuer().newStep();
            if (d.plan().returnToHome().purgeCache()) {
                homes.forEach(h -> d.issue(nowMs, commands, "return_home.purge_cache", evidence, new CommandBody.PurgeCache(h, null)));
            }
            homes.forEach(h -> d.issue(nowMs, commands, "return_home.rewarm_cache", evidence, new CommandBody.RewarmCache(h)));
            step = Step.CACHE;
        } else if (nowMs - d.phaseStartMs() > d.plan().timeline().rebuildTimeoutS() * 1000L) {
            d.emit(nowMs, new IndexHashParity().evaluate(d));
            d.moveTo(nowMs, Phase.ABORTED);
        }
    }

    /** Raises the homes' weight along {@code gradual_weights}, each step after a healthy dwell. */
    private void restoreWeights(Drill d, long nowMs, Map<String, Object> evidence) {
        if (!acked(d, nowMs)) {
            return;
        }
        healthyS = healthy(d, nowMs) ? healthyS + 1 : 0;
        if (healthyS < Math.max(1, d.plan().routing().hysteresisS())) {
            return;
        }
        healthyS = 0;
        List<Integer> steps = d.plan().returnToHome().gradualWeights();
        Map<String, Object> ev = new TreeMap<>(evidence);
        ev.put("step", (long) weightStep + 1);
        ev.put("of", (long) steps.size());
        ev.put("healthy_for_s", d.plan().routing().hysteresisS());
        commands = d.issuer().newStep();
        ev.put("percent_of_pre_drill_share", steps.get(weightStep));
        d.issue(nowMs, commands, "return_home.gradual_weights", ev, new CommandBody.SetWeights(Weights.restore(
                d.plan().regions(), d.preDrillWeights(), homes, steps.get(weightStep), d.plan().promoteSurvivor())));
        weightStep++;
        if (weightStep >= steps.size()) {
            step = Step.FINISH;
        }
    }

    /** Every home served requests within the error-rate threshold and its SLO over the health window. */
    private boolean healthy(Drill d, long nowMs) {
        int window = Math.min(d.plan().detect().healthWindowS(), d.plan().detect().windowS());
        boolean healthy = true;
        for (String h : homes) {
            RegionSignals s = d.regions().get(h);
            var errors = s.errors(nowMs, window);
            LatencyStats p = s.latency(nowMs, window, false);
            healthy &= errors.requests() > 0 && errors.rate() <= d.plan().detect().errorRate()
                    && !p.isEmpty() && p.p95() <= d.slo(h);
        }
        return healthy;
    }

    /** Whether the last step's commands are all applied; a rejected one fails {@code return_home} and aborts. */
    private boolean acked(Drill d, long nowMs) {
        List<Command> rejected = commands.rejected();
        if (!rejected.isEmpty()) {
            d.emit(nowMs, ReturnHomeRejected.verdict(commands.evidence(), rejected.stream().map(Command::type).toList()));
            d.moveTo(nowMs, Phase.ABORTED);
            return false;
        }
        return commands.allApplied() || commands.isEmpty();
    }
}
