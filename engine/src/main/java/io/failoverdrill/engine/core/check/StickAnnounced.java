package io.failoverdrill.engine.core.check;

import java.util.Map;
import java.util.TreeMap;

/**
 * Live check (seed runbook step 2: "announce stick region in response headers for ongoing sessions"): once the
 * {@code stick} was applied, and while it holds, at least {@code acceptance.stick_announced_min} (0.95) of the
 * service's responses announce its region ({@code stick_region}, header {@code X-Stick-Region}). Listed by a plan
 * under {@code checks.live}; it fails with "no data" when no stick was applied or no response came in its window.
 */
public final class StickAnnounced extends Check {
    public static final String NAME = "stick_announced";

    public StickAnnounced() {
        super(NAME);
    }

    record Announced(String region, long fromMs, long untilMs, long responses, Map<String, Long> announcedOther, long announcedNone)
            implements Evidence {
        @Override
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("measure", "the share of service responses announcing the stick region while the stick holds");
            m.put("stick_region", region);
            m.put("from", io.failoverdrill.schemas.Timestamps.format(fromMs));
            m.put("until", io.failoverdrill.schemas.Timestamps.format(untilMs));
            m.put("responses", responses);
            m.put("announcing_other_regions", announcedOther);
            m.put("announcing_none", announcedNone);
            return m;
        }
    }

    @Override
    public CheckResult evaluate(DrillFacts facts) {
        Milestones m = facts.milestones();
        double min = facts.plan().acceptance().stickAnnouncedMin();
        if (m.stickRegion() == null) {
            return CheckResult.noData(NAME, min, "a stick command (this drill issued none)");
        }
        if (m.stickAppliedMs() == Long.MAX_VALUE) {
            return CheckResult.noData(NAME, min, "an applied ack of the stick to " + m.stickRegion());
        }
        long until = Math.min(m.stickUntilMs(), facts.nowMs());
        Map<String, Long> byRegion = new TreeMap<>(facts.stickAnnouncements().between(m.stickAppliedMs(), until));
        long responses = byRegion.values().stream().mapToLong(Long::longValue).sum();
        if (responses == 0) {
            return CheckResult.noData(NAME, min, "service responses (request events with an HTTP status) after the stick "
                    + "to " + m.stickRegion() + " was applied");
        }
        long announcing = byRegion.getOrDefault(m.stickRegion(), 0L);
        long none = byRegion.getOrDefault(StickAnnouncements.NONE, 0L);
        byRegion.remove(m.stickRegion());
        byRegion.remove(StickAnnouncements.NONE);
        double share = (double) announcing / responses;
        // judged on the exact share; the log shows it to four places
        return new CheckResult(NAME, share >= min, Math.round(share * 10_000) / 10_000.0, min,
                new Announced(m.stickRegion(), m.stickAppliedMs(), until, responses, byRegion, none));
    }
}
