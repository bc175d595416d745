package io.failoverdrill.engine.core.signal;

import io.failoverdrill.schemas.event.Telemetry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The RAG probe set as of now, per region and question, combining observers pessimistically: the worst ΔS, the
 * lowest coverage, and λ convergent only if every observer says so (chaotic if any does).
 */
public final class RagView {
    public record Answer(double deltaS, String lambda, double coverage, List<String> topIds, String answerHash) {
    }

    /** region → question → combined answer. */
    final Map<String, Map<String, Answer>> byRegion = new TreeMap<>();

    public RagView(Iterable<RegionSignals> regions, Set<String> only) {
        this(regions, only, Long.MIN_VALUE);
    }

    /** Only answers measured at or after {@code sinceMs} (event time) count. */
    public RagView(Iterable<RegionSignals> regions, Set<String> only, long sinceMs) {
        for (RegionSignals r : regions) {
            if (only != null && !only.contains(r.region())) {
                continue;
            }
            Map<String, Answer> questions = new TreeMap<>();
            for (Map.Entry<String, LastValue<Telemetry.RagProbe>> e : r.rag().entrySet()) {
                Telemetry.RagProbe q = e.getValue().value();
                if (q == null || e.getValue().tsMs() < sinceMs) {
                    continue;
                }
                questions.merge(q.questionId(), new Answer(q.deltaS(), q.lambda(), q.coverage(),
                        q.topIds() == null ? List.of() : q.topIds(), q.answerHash()), RagView::worse);
            }
            if (!questions.isEmpty()) {
                byRegion.put(r.region(), questions);
            }
        }
    }

    private static Answer worse(Answer a, Answer b) {
        String lambda = a.lambda.equals("chaotic") || b.lambda.equals("chaotic") ? "chaotic"
                : a.lambda.equals(b.lambda) ? a.lambda : (a.lambda.equals("convergent") ? b.lambda : a.lambda);
        String hash = a.answerHash != null && a.answerHash.equals(b.answerHash) ? a.answerHash
                : (a.answerHash == null ? b.answerHash : a.answerHash + "≠" + b.answerHash);
        return new Answer(Math.max(a.deltaS, b.deltaS), lambda, Math.min(a.coverage, b.coverage),
                a.topIds.isEmpty() ? b.topIds : a.topIds, hash);
    }

    public boolean isEmpty() {
        return byRegion.isEmpty();
    }

    /** The first of {@code regions} with no answer in this view, or null when every one answered. */
    public String firstSilent(Iterable<String> regions) {
        for (String r : regions) {
            if (!byRegion.containsKey(r)) {
                return r;
            }
        }
        return null;
    }

    /** The worst ΔS among {@code region}'s answered questions, or NaN when it has none. */
    public double maxDeltaS(String region) {
        Map<String, Answer> q = byRegion.get(region);
        return q == null ? Double.NaN : q.values().stream().mapToDouble(Answer::deltaS).max().orElse(Double.NaN);
    }

    public double maxDeltaS() {
        return byRegion.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Answer::deltaS).max().orElse(Double.NaN);
    }

    public double minCoverage() {
        return byRegion.values().stream().flatMap(m -> m.values().stream()).mapToDouble(Answer::coverage).min().orElse(Double.NaN);
    }

    /** λ state → count of (region, question) pairs. */
    public Map<String, Long> lambdaCounts() {
        Map<String, Long> m = new TreeMap<>();
        byRegion.values().forEach(q -> q.values().forEach(a -> m.merge(a.lambda, 1L, Long::sum)));
        return m;
    }

    public long questions() {
        return byRegion.values().stream().mapToLong(Map::size).sum();
    }

    /** ΔS zones of WFGY (stable &lt; 0.40, transitional 0.40–0.60, risk ≥ 0.60): count of (region, question) pairs. */
    public Map<String, Object> deltaSZones() {
        Map<String, Object> m = new TreeMap<>();
        long stable = 0;
        long transitional = 0;
        long risk = 0;
        for (Map<String, Answer> q : byRegion.values()) {
            for (Answer a : q.values()) {
                if (a.deltaS < 0.40) {
                    stable++;
                } else if (a.deltaS < 0.60) {
                    transitional++;
                } else {
                    risk++;
                }
            }
        }
        m.put("stable_lt_0.40", stable);
        m.put("transitional_0.40_0.60", transitional);
        m.put("risk_ge_0.60", risk);
        return m;
    }

    /** ΔS per region: max and mean, for evidence. */
    public Map<String, Object> deltaSEvidence() {
        Map<String, Object> m = new TreeMap<>();
        byRegion.forEach((r, q) -> m.put(r, Map.of(
                "max", Numbers.round3(q.values().stream().mapToDouble(Answer::deltaS).max().orElse(0)),
                "mean", Numbers.round3(q.values().stream().mapToDouble(Answer::deltaS).average().orElse(0)),
                "questions", (long) q.size())));
        return m;
    }

    /**
     * Compares answers across regions for every question all regions answered: the same answer hash (where every
     * region reported one) and a Jaccard of the top-{@code dualhomeK} snippet ids ≥ {@code minJaccard} (where every
     * region reported them). A question with neither hashes nor ids from every region cannot be compared.
     */
    public AnswerParity parity(int dualhomeK, double minJaccard) {
        List<String> regions = new ArrayList<>(byRegion.keySet());
        long compared = 0;
        long equal = 0;
        long uncomparable = 0;
        List<String> differing = new ArrayList<>();
        double worstJaccard = 1;
        if (regions.size() >= 2) {
            Set<String> common = new HashSet<>(byRegion.get(regions.get(0)).keySet());
            regions.forEach(r -> common.retainAll(byRegion.get(r).keySet()));
            for (String question : new java.util.TreeSet<>(common)) {
                List<Answer> answers = regions.stream().map(r -> byRegion.get(r).get(question)).toList();
                boolean hashes = answers.stream().allMatch(a -> a.answerHash != null);
                boolean ids = answers.stream().allMatch(a -> !a.topIds.isEmpty());
                if (!hashes && !ids) {
                    uncomparable++;
                    continue;
                }
                compared++;
                boolean same = true;
                Answer first = answers.get(0);
                for (Answer a : answers) {
                    if (hashes) {
                        same &= first.answerHash.equals(a.answerHash);
                    }
                    if (ids) {
                        double j = jaccard(first.topIds, a.topIds, dualhomeK);
                        worstJaccard = Math.min(worstJaccard, j);
                        same &= j >= minJaccard;
                    }
                }
                if (same) {
                    equal++;
                } else if (differing.size() < 10) {
                    differing.add(question);
                }
            }
        }
        return new AnswerParity(regions, compared, equal, uncomparable, differing, Numbers.round3(worstJaccard), dualhomeK);
    }

    /**
     * Answers compared across regions: {@code compared} questions every region answered, {@code equal} of them with
     * the same answer hash and a top-{@code dualhomeK} Jaccard at or above the limit; up to 10 differing ids.
     */
    public record AnswerParity(List<String> regions, long compared, long equal, long uncomparable, List<String> differing,
                               double worstJaccardTopK, int dualhomeK) {
        public Map<String, Object> toEvidence() {
            Map<String, Object> m = new TreeMap<>();
            m.put("regions", regions);
            m.put("compared", compared);
            m.put("equal", equal);
            m.put("uncomparable", uncomparable);
            m.put("differing", differing);
            m.put("worst_jaccard_top_k", worstJaccardTopK);
            m.put("dualhome_k", dualhomeK);
            return m;
        }
    }

    public static double jaccard(List<String> a, List<String> b, int k) {
        Set<String> x = new HashSet<>(a.subList(0, Math.min(k, a.size())));
        Set<String> y = new HashSet<>(b.subList(0, Math.min(k, b.size())));
        if (x.isEmpty() && y.isEmpty()) {
            return 1;
        }
        Set<String> union = new HashSet<>(x);
        union.addAll(y);
        x.retainAll(y);
        return (double) x.size() / union.size();
    }
}
