package io.failoverdrill.cli;

import io.failoverdrill.schemas.plan.DrillType;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

import static io.failoverdrill.schemas.plan.DrillType.BLACKHOLE;
import static io.failoverdrill.schemas.plan.DrillType.BROWNOUT;
import static io.failoverdrill.schemas.plan.DrillType.INDEX_SKEW;
import static io.failoverdrill.schemas.plan.DrillType.RETURN_HOME;
import static io.failoverdrill.schemas.plan.DrillType.WEBHOOK_REROUTE;

/** Negative controls for the demo: a real fault in the simulation that one verdict must catch. */
public enum Breakage {
    /** Not with a blackhole: a region that drops every connection takes no stale client's write. */
    SPLIT_BRAIN("the old writer ignores the freeze and stale clients keep writing to it", "single_writer",
            EnumSet.of(BROWNOUT, WEBHOOK_REROUTE, RETURN_HOME)),
    NO_REBUILD("rebuild_index is acknowledged but the index is never rebuilt", "index_hash_parity",
            EnumSet.of(INDEX_SKEW, RETURN_HOME)),
    DUPLICATE_WEBHOOKS("the third party still targets the evacuated region", "webhook_duplicates",
            EnumSet.of(WEBHOOK_REROUTE)),
    WRITE_LOSS("one forwarded write is acknowledged and never applied", "write_loss",
            EnumSet.allOf(DrillType.class)),
    SLOW_SURVIVOR("the survivor slows down once it takes all the traffic", "p95_ratio",
            EnumSet.of(BROWNOUT, BLACKHOLE, WEBHOOK_REROUTE, RETURN_HOME)),
    SURVIVOR_DOWN("the survivor is blackholed too, when the outage begins", "survivor_healthy", EnumSet.of(BLACKHOLE)),
    /** Not with {@code --haproxy}: HAProxy announces the stick itself. */
    SILENT_STICK("the service never announces the stick region in its responses", "stick_announced",
            EnumSet.of(BROWNOUT, BLACKHOLE, WEBHOOK_REROUTE, RETURN_HOME));

    private final String what;
    private final String verdict;
    private final Set<DrillType> drills;

    Breakage(String what, String verdict, Set<DrillType> drills) {
        this.what = what;
        this.verdict = verdict;
        this.drills = drills;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String what() {
        return what;
    }

    /** The verdict that must fail. */
    public String verdict() {
        return verdict;
    }

    public Set<DrillType> drills() {
        return drills;
    }

    static Breakage parse(String s) {
        for (Breakage b : values()) {
            if (b.wire().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("--break " + s + " is not one of "
                + String.join(", ", java.util.Arrays.stream(values()).map(Breakage::wire).toList()));
    }
}
