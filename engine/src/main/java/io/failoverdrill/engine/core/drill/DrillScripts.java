package io.failoverdrill.engine.core.drill;

import io.failoverdrill.schemas.plan.DrillType;

/** A fresh script (with its own state) for each drill type; the switch is exhaustive, so a new type needs one. */
public final class DrillScripts {
    private DrillScripts() {
    }

    public static DrillScript create(DrillType type) {
        return switch (type) {
            case BROWNOUT -> new Brownout();
            case BLACKHOLE -> new Blackhole();
            case INDEX_SKEW -> new IndexSkew();
            case WEBHOOK_REROUTE -> new WebhookReroute();
            case RETURN_HOME -> new ReturnHome();
        };
    }

    /** What a drill of {@code type} stages. */
    public static Scenario scenario(DrillType type) {
        return create(type).scenario();
    }
}
