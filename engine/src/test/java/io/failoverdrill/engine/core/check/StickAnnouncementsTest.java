package io.failoverdrill.engine.core.check;

import io.failoverdrill.schemas.event.Telemetry;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What responses announced, counted over whole seconds of a window; no answer and status reads count for nothing. */
class StickAnnouncementsTest {
    static Telemetry.Request answer(int status, String target, Long count, String stick) {
        return new Telemetry.Request(20, status, status >= 500 ? "http_5xx" : status == 0 ? "connect" : null, null, null,
                target, count, stick);
    }

    @Test
    void responsesCountByWhatTheyAnnouncedInTheWholeSecondsOfTheWindow() {
        StickAnnouncements seen = new StickAnnouncements();
        seen.request(10_400, answer(200, "/api", null, "eu-west")); // second 10: before the first whole second after 10.5 s
        seen.request(11_000, answer(200, "/api", null, "eu-west"));
        seen.request(11_900, answer(503, "/api", 4L, "eu-west")); // an answer all the same, standing for 4
        seen.request(12_100, answer(200, "/api", null, null));
        seen.request(12_200, answer(200, "/api", null, "us-east"));
        seen.request(12_300, answer(0, "/api", null, null)); // no answer: nothing announced, nothing missing
        seen.request(12_400, answer(503, "status:health", null, null)); // a status read, not the service
        seen.request(13_000, answer(200, "/api", null, "eu-west")); // second 13: at the window's end

        assertThat(seen.between(10_500, 13_000)).isEqualTo(Map.of(StickAnnouncements.NONE, 1L,
                "eu-west", 5L, "us-east", 1L));
        assertThat(seen.between(13_000, 10_500)).as("an inverted window").isEmpty();
        assertThat(seen.between(12_000, 12_000)).as("an empty window").isEmpty();
    }
}
