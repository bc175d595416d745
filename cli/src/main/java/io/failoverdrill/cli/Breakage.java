package io.failoverdrill.cli;

import java.util.List;
import java.util.Locale;

/** Negative controls for the demo: a real fault in the simulation that one verdict must catch. */
public enum Breakage {
    SPLIT_BRAIN("the old writer ignores the freeze and stale clients keep writing to it", "single_writer",
            List.of("brownout", "blackhole", "webhook_reroute", "return_home")),
    NO_REBUILD("rebuild_index is acknowledged but the index is never rebuilt", "index_hash_parity",
            List.of("index_skew", "return_home")),
    DUPLICATE_WEBHOOKS("the third party still targets the evacuated region", "webhook_duplicates",
            List.of("webhook_reroute")),
    WRITE_LOSS("one forwarded write is acknowledged and never applied", "write_loss",
            List.of("brownout", "blackhole", "index_skew", "webhook_reroute", "return_home")),
    SLOW_SURVIVOR("the survivor slows down once it takes all the traffic", "p95_ratio",
            List.of("brownout", "blackhole", "webhook_reroute", "return_home"));

    private final String what;
    private final String verdict;
    private final List<String> drills;

    Breakage(String what, String verdict, List<String> drills) {
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

    public List<String> drills() {
        return drills;
    }

    static Breakage parse(String s) {
        for (Breakage b : values()) {
            if (b.wire().equals(s)) {
                return b;
            }
        }
        throw new IllegalArgumentException("--break " + s + " is not one of split_brain, no_rebuild, duplicate_webhooks, write_loss, slow_survivor");
    }
}
