package io.failoverdrill.engine.runtime;

import io.failoverdrill.engine.testing.DrillTestDriver;
import io.failoverdrill.engine.testing.SyntheticWorld;
import io.failoverdrill.schemas.decision.Decision;
import io.failoverdrill.schemas.plan.DrillPlan;

import java.util.List;

/**
 * Runs, once before an engine starts consuming, the code its first decisions will take: a throw-away core of the same
 * plan runs a {@link SyntheticWorld} drill — healthy regions, the drill type's own fault, every command acknowledged —
 * with every event encoded and decoded and every decision encoded, as on the live path. Without it the drill's first
 * batch of decisions (pre-check verdicts, the phase change, the first commands) was made by code the JVM had never
 * run and took up to ≈ 100 ms instead of ≈ 50 (measured in the fourth session; git log). Nothing leaves this class: the real core never sees
 * these events, nothing is written, and the synthetic drill may end anywhere (a plan whose pre-checks need data it
 * does not synthesise aborts it), which only makes the warm-up shorter.
 */
public final class EngineWarmUp {
    /** Event-time seconds of synthetic drill after the plan's baseline. */
    static final int EXTRA_SECONDS = 60;
    static final long SEED = 20_260_101L;

    private EngineWarmUp() {
    }

    /** Runs the synthetic drill through a core of {@code plan}; returns the decisions it made (for tests). */
    public static List<Decision> run(DrillPlan plan) {
        DrillTestDriver driver = DrillTestDriver.drill(plan).viaCodec();
        SyntheticWorld.closedLoop(driver, plan, SyntheticWorld.Setup.of(SEED))
                .run(plan.timeline().baselineS() + EXTRA_SECONDS);
        return driver.decisions();
    }
}
