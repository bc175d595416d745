package io.failoverdrill.engine.core.signal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhook deliveries over the drill's window: how many, which dedupe keys were delivered more than once, how many
 * came from a region other than the one webhooks were routed to, how many keys could be recomputed from the
 * policy's fields, and which reported keys differ from the recomputed ones.
 */
public record WebhookTally(long deliveries, List<String> repeatedKeys, long fromWrongRegion, List<String> wrongRegions,
                           long keysRecomputed, List<String> keyMismatches) {
    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("deliveries", deliveries);
        m.put("repeated_keys", (long) repeatedKeys.size());
        m.put("repeated_key_samples", repeatedKeys.stream().limit(WriteTally.SAMPLES).toList());
        m.put("from_wrong_region", fromWrongRegion);
        m.put("wrong_regions", wrongRegions);
        m.put("keys_recomputed", keysRecomputed);
        m.put("key_mismatches", (long) keyMismatches.size());
        m.put("key_mismatch_samples", keyMismatches.stream().limit(WriteTally.SAMPLES).toList());
        return m;
    }
}
