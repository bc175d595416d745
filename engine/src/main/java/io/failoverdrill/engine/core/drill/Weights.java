package io.failoverdrill.engine.core.drill;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Weight arithmetic: integer weights per region that always sum to 100. */
public final class Weights {
    private Weights() {
    }

    /** 100 split evenly over {@code regions}, the remainder to the first: the weights before any were issued. */
    public static TreeMap<String, Integer> even(List<String> regions) {
        TreeMap<String, Integer> w = new TreeMap<>();
        regions.forEach(r -> w.put(r, 100 / regions.size()));
        w.merge(regions.get(0), 100 % regions.size(), Integer::sum);
        return w;
    }

    /**
     * Weight 0 for {@code excluded}; the others share 100 in proportion to their {@code current} weights (evenly when
     * all of theirs are 0, or in {@code failover} mode all to {@code survivor}), the rounding remainder to
     * {@code survivor}.
     */
    public static TreeMap<String, Integer> drain(List<String> regions, Map<String, Integer> current,
                                                 Collection<String> excluded, String survivor, String mode) {
        List<String> serving = regions.stream().filter(r -> !excluded.contains(r)).toList();
        TreeMap<String, Integer> base = new TreeMap<>();
        for (String r : serving) {
            base.put(r, "failover".equals(mode) ? (r.equals(survivor) ? 1 : 0) : current.getOrDefault(r, 0));
        }
        return spread(regions, base, 100, survivor);
    }

    /**
     * The homes back at {@code percent} % of their {@code before} weights; the other regions share the rest in
     * proportion to their {@code before} weights, the remainder to {@code survivor}.
     */
    public static TreeMap<String, Integer> restore(List<String> regions, Map<String, Integer> before,
                                                   Collection<String> homes, int percent, String survivor) {
        TreeMap<String, Integer> w = new TreeMap<>();
        int home = 0;
        for (String h : homes) {
            int share = (int) Math.round(before.getOrDefault(h, 0) * percent / 100.0);
            w.put(h, share);
            home += share;
        }
        TreeMap<String, Integer> base = new TreeMap<>();
        regions.stream().filter(r -> !homes.contains(r)).forEach(r -> base.put(r, before.getOrDefault(r, 0)));
        w.putAll(spread(regions.stream().filter(r -> !homes.contains(r)).toList(), base, 100 - home, survivor));
        return w;
    }

    /** {@code total} over the regions of {@code base} in proportion to it (evenly if all 0); 0 for the others. */
    private static TreeMap<String, Integer> spread(List<String> regions, Map<String, Integer> base, int total,
                                                   String survivor) {
        TreeMap<String, Integer> w = new TreeMap<>();
        regions.forEach(r -> w.put(r, 0));
        if (base.isEmpty()) {
            return w;
        }
        long sum = base.values().stream().mapToLong(Integer::longValue).sum();
        int given = 0;
        for (Map.Entry<String, Integer> e : base.entrySet()) {
            int share = (int) (sum == 0 ? total / base.size() : (long) total * e.getValue() / sum);
            w.put(e.getKey(), share);
            given += share;
        }
        String rest = base.containsKey(survivor) ? survivor : base.keySet().iterator().next();
        w.merge(rest, total - given, Integer::sum);
        return w;
    }
}
