package io.failoverdrill.sim;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Set;

/**
 * A region's answer cache: keys present or not, and the hit ratio over the last {@code window} lookups. Purge
 * empties it; re-warm loads the hot keys.
 */
public final class HotCache {
    private final Set<String> hotKeys;
    private final Set<String> present = new HashSet<>();
    private final Deque<Boolean> recent = new ArrayDeque<>();
    private final int window;

    public HotCache(Set<String> hotKeys, int window) {
        this.hotKeys = Set.copyOf(hotKeys);
        this.window = window;
        rewarm();
    }

    /** Looks {@code key} up, caching it on a miss; returns whether it was a hit. */
    public synchronized boolean lookup(String key) {
        boolean hit = !present.add(key);
        recent.addLast(hit);
        if (recent.size() > window) {
            recent.removeFirst();
        }
        return hit;
    }

    public synchronized void purge() {
        present.clear();
        recent.clear();
    }

    public synchronized void rewarm() {
        present.addAll(hotKeys);
        recent.clear();
        for (int i = 0; i < window; i++) {
            recent.add(true);
        }
    }

    public synchronized double hitRatio() {
        return recent.isEmpty() ? 0 : recent.stream().filter(b -> b).count() / (double) recent.size();
    }

    public synchronized boolean hotKeysPresent() {
        return present.containsAll(hotKeys);
    }
}
