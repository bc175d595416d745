package io.failoverdrill.schemas;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * An unmodifiable set for membership tests on the per-record path. {@code Set.of} finds its slot with
 * {@code Math.floorMod} (an integer division) on every lookup; a {@link HashSet} masks the hash, which the decoder's
 * shared strings have cached. Iteration order is not part of any contract.
 */
public final class LookupSet {
    private LookupSet() {
    }

    public static Set<String> of(String... members) {
        return Collections.unmodifiableSet(new HashSet<>(Arrays.asList(members)));
    }
}
