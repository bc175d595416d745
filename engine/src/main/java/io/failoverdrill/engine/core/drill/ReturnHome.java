package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.decision.Phase;
import io.failoverdrill.schemas.plan.DrillType;

import java.util.List;

/**
 * E) Return-to-home: after repair, reintroduce the region, rebuild indices, re-warm caches and rebalance.
 * <ul>
 *   <li>precheck, evacuate, promote, observe: as a brownout;</li>
 *   <li>verify: the live checks and acceptance targets, then wait for the operator's {@code repair_done};</li>
 *   <li>return home ({@link HomeSequence}): rebuild from the survivor's artifact, confirm INDEX_HASH, purge and
 *       re-warm its cache, unfreeze its writes, restore its weight along {@code gradual_weights} (percent of its
 *       pre-drill share); then the post checks (parity, contracts, RAG quality, answers equal, caches re-warmed) and
 *       closeout.</li>
 * </ul>
 */
final class ReturnHome implements DrillScript {
    private boolean verified;
    private HomeSequence home;

    @Override
    public DrillType type() {
        return DrillType.RETURN_HOME;
    }

    @Override
    public Scenario scenario() {
        return new Scenario("brownout", Scenario.FaultTiming.ON_EVACUATE, true);
    }

    @Override
    public void verify(Drill d, long nowMs) {
        if (!verified) {
            verified = d.verdictsAfterCutover(nowMs);
        } else if (d.repairDone()) {
            d.moveTo(nowMs, Phase.RETURN_HOME);
            home = new HomeSequence(d, List.of(d.plan().evacuate()), HomeSequence.Step.REBUILD, true);
        }
    }

    @Override
    public void returnHome(Drill d, long nowMs) {
        if (home.step(d, nowMs)) {
            d.postVerdicts(nowMs, true);
            d.finish(nowMs);
        }
    }
}
