package io.failoverdrill.engine.core.check;

import io.failoverdrill.engine.core.signal.LastValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The current value of each observer of a state signal (health, index, cache, backlog). */
final class Latest {
    private Latest() {
    }

    /** Every observer's current value (observer order, so deterministic), mapped by {@code f}; none = empty. */
    static <T, R> List<R> values(Map<String, LastValue<T>> byObserver, Function<T, R> f) {
        List<R> out = new ArrayList<>();
        for (LastValue<T> v : byObserver.values()) {
            if (v.value() != null) {
                out.add(f.apply(v.value()));
            }
        }
        return out;
    }
}
