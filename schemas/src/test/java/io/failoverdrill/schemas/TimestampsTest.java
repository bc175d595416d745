package io.failoverdrill.schemas;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-29T10:00:00.000Z", "2026-11-29T10:00:00Z", "2024-02-29T23:59:59.9Z",
            "1970-01-01T00:00:00.123456789Z", "2026-12-31T23:59:59.999Z", "2000-01-01T00:00:00.5Z"})
    void agreesWithInstantParseOnValidTimestamps(String ts) {
        assertThat(Timestamps.parseOrMin(ts)).isEqualTo(Instant.parse(ts).toEpochMilli());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "2025-02-29T00:00:00Z",
            "2026-11-29T24:00:00.000Z", "2026-11-29T10:60:00Z", "2026-11-29 10:00:00.000Z", "2026-11-29T10:00:00.000+01:00",
            "2026-11-29T10:00:00.Z", "2026-11-29T10:00:00.0000000000Z", "2026-1-29T10:00:00Z", "yesterday", "",
            "2026-11-29T10:00:00.00aZ", "2026-11-29T10:00:00.000\uFF3A", "\uFF12026-11-29T10:00:00Z", "2026-11-29T10:00:00.00\u00b2Z"})
    void rejectsEverythingElse(String ts) {
        assertThat(Timestamps.parseOrMin(ts)).isEqualTo(Long.MIN_VALUE);
    }
}
