package io.failoverdrill.probes;

import io.failoverdrill.schemas.event.TelemetryEvent;

/** Where probes put what they observed (Kafka in production). */
public interface TelemetrySink {
    void publish(TelemetryEvent event);
}
