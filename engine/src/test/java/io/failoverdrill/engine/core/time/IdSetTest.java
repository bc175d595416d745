package io.failoverdrill.engine.core.time;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The open-addressing id set answers every add and remove exactly as a {@link HashSet} does. */
class IdSetTest {

    @Property(tries = 300, seed = "20261129")
    void behavesLikeAHashSet(@ForAll @IntRange(min = 1, max = 5000) int universe,
                             @ForAll @IntRange(min = 0, max = 20_000) int operations, @ForAll long seed) {
        check(universe, operations, seed);
    }

    @net.jqwik.api.Example
    void growsAndShrinksThroughManyResizes() {
        check(60_000, 300_000, 7);
    }

    @net.jqwik.api.Example
    void aBurstOfIdsCanBeForgottenAndTheSetReused() {
        IdSet set = new IdSet();
        for (int k = 0; k < 50_000; k++) {
            assertThat(set.add("e-" + k)).isTrue();
        }
        for (int k = 0; k < 49_000; k++) {
            set.remove("e-" + k);
            assertThat(set.size()).isEqualTo(50_000 - k - 1);
        }
        for (int k = 49_000; k < 50_000; k++) { // the table shrank several times: the rest is still found
            assertThat(set.add("e-" + k)).as("e-%d", k).isFalse();
            set.remove("e-" + k);
        }
        assertThat(set.size()).isZero();
        assertThat(set.add("e-7")).isTrue();
        assertThat(set.add("e-7")).isFalse();
    }

    static void check(int universe, int operations, long seed) {
        Random random = new Random(seed);
        List<String> ids = new ArrayList<>();
        for (int k = 0; k < universe; k++) {
            // ids like the probes': a shared prefix, differing in the last characters; some with colliding hashes
            ids.add(random.nextInt(10) == 0 ? (k % 2 == 0 ? "Aa" : "BB") + (k / 2) : "obs-7-eu-west-" + k);
        }
        IdSet set = new IdSet();
        Set<String> model = new HashSet<>();
        for (int op = 0; op < operations; op++) {
            String id = new String(ids.get(random.nextInt(universe))); // equal, not identical
            if (random.nextInt(3) == 0) {
                set.remove(id);
                model.remove(id);
            } else {
                assertThat(set.add(id)).as("add %s", id).isEqualTo(model.add(id));
            }
            assertThat(set.size()).isEqualTo(model.size());
        }
        for (String id : ids) { // every member is still found, every non-member is not
            assertThat(set.add(new String(id))).as("re-add %s", id).isEqualTo(!model.contains(id));
        }
    }
}
