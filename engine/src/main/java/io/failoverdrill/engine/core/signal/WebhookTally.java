package io.failoverdrill.engine.core.signal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhook deliveries at one instant of event time: how many, which dedupe keys were delivered more than once, and
 * how many came from a region other than the one webhooks were routed to.
 */
public record WebhookTally(long deliveries, List<String> repeatedKeys, long fromWrongRegion, List<String> wrongRegions) {
    public Map<String, Object> toEvidence() {
        Map<String, Object> m = new TreeMap<>();
        m.put("deliveries", deliveries);
        m.put("repeated_keys", (long) repeatedKeys.size());
        m.put("repeated_key_samples", repeatedKeys.stream().limit(WriteTally.SAMPLES).toList());
        m.put("from_wrong_region", fromWrongRegion);
        m.put("wrong_regions", wrongRegions);
        return m;
    }
}
