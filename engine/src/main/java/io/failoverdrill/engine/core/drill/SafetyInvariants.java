package io.failoverdrill.engine.core.drill;

import io.failoverdrill.engine.core.check.Milestones;
import io.failoverdrill.schemas.decision.CommandBody;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The invariants no command may break, checked before a command is issued: weights sum to 100 and send traffic
 * only to regions healthy by the detection rule; exactly one writer, promoted only into a healthy region and only
 * once every other region is frozen (and that freeze acknowledged); no routing flip-back inside the stick lock-out (unless the operator declared the
 * region repaired: a deliberate return home is not a flap).
 */
final class SafetyInvariants {
    private final List<String> regions;
    private final Set<String> frozenAcked = new HashSet<>();
    private SortedMap<String, Integer> weights = new TreeMap<>();
    /** Where the drill's last {@code stick} holds sessions, and until when: the lock-out. */
    private final Milestones milestones;

    SafetyInvariants(List<String> regions, Milestones milestones) {
        this.regions = List.copyOf(regions);
        this.milestones = milestones;
    }

    /** A freeze of {@code regions} was acknowledged as applied. */
    void frozen(List<String> frozenRegions) {
        frozenAcked.addAll(frozenRegions);
    }

    void unfrozen(List<String> regionsBack) {
        regionsBack.forEach(frozenAcked::remove);
    }

    /** Why {@code body} must not be issued at {@code nowMs}, or empty when it is safe. */
    Optional<String> violation(CommandBody body, long nowMs, Set<String> healthyRegions, boolean returnAllowed) {
        if (body instanceof CommandBody.SetWeights w) {
            int sum = w.weights().values().stream().mapToInt(Integer::intValue).sum();
            if (sum != 100) {
                return Optional.of("weights must sum to 100, got " + sum);
            }
            if (!regions.containsAll(w.weights().keySet())) {
                return Optional.of("weights name a region outside the plan: " + w.weights().keySet());
            }
            List<String> unhealthy = w.weights().entrySet().stream()
                    .filter(e -> e.getValue() > 0 && !healthyRegions.contains(e.getKey())).map(Map.Entry::getKey).toList();
            if (!unhealthy.isEmpty()) {
                return Optional.of("weights would send traffic to " + unhealthy + ", not healthy by the detection rule"
                        + " (healthy: " + healthyRegions + ")");
            }
            String stuck = milestones.stickRegion();
            if (!returnAllowed && nowMs < milestones.stickUntilMs()
                    && w.weights().getOrDefault(stuck, 0) < weights.getOrDefault(stuck, 0)) {
                return Optional.of("routing may not flip back from " + stuck + " before the stick lock-out ends");
            }
        } else if (body instanceof CommandBody.PromoteWriter p) {
            if (!healthyRegions.contains(p.region())) {
                return Optional.of("promoting " + p.region() + ", not healthy by the detection rule, would move the writer into a failure");
            }
            for (String r : regions) {
                if (!r.equals(p.region()) && !frozenAcked.contains(r)) {
                    return Optional.of("promoting " + p.region() + " while " + r + " is not frozen would make two writers");
                }
            }
        }
        return Optional.empty();
    }

    /** Records that {@code body} was issued. */
    void issued(CommandBody body) {
        if (body instanceof CommandBody.SetWeights w) {
            weights = new TreeMap<>(w.weights());
        }
    }

    Map<String, Integer> weights() {
        return weights;
    }
}
