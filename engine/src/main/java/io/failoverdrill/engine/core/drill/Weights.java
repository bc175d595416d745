package io.failoverdrill.engine.core.drill;

import java.util.List;
import java.util.TreeMap;

/** Weight arithmetic: integer weights per region that always sum to 100. */
public final class Weights {
    private Weights() {
    }

    /** Weight 0 for {@code excluded}; 100 split evenly over the others, the remainder to {@code survivor}. */
    public static TreeMap<String, Integer> without(List<String> regions, List<String> excluded, String survivor) {
        List<String> serving = regions.stream().filter(r -> !excluded.contains(r)).toList();
        TreeMap<String, Integer> w = new TreeMap<>();
        int share = serving.isEmpty() ? 0 : 100 / serving.size();
        for (String r : regions) {
            w.put(r, excluded.contains(r) ? 0 : share);
        }
        w.merge(survivor, 100 - share * serving.size(), Integer::sum);
        return w;
    }

    /**
     * {@code homeShare} % split over {@code homes}; the rest split evenly over the other regions, its remainder to
     * {@code survivor} (or the first other region when the survivor is a home).
     */
    public static TreeMap<String, Integer> withHomeShare(List<String> regions, List<String> homes, String survivor,
                                                         int homeShare) {
        TreeMap<String, Integer> w = new TreeMap<>();
        int perHome = homeShare / homes.size();
        int rest = 100 - perHome * homes.size();
        List<String> others = regions.stream().filter(r -> !homes.contains(r)).toList();
        for (String r : regions) {
            w.put(r, homes.contains(r) ? perHome : (others.isEmpty() ? 0 : rest / others.size()));
        }
        if (!others.isEmpty()) {
            w.merge(others.contains(survivor) ? survivor : others.get(0), rest - (rest / others.size()) * others.size(),
                    Integer::sum);
        }
        return w;
    }
}
