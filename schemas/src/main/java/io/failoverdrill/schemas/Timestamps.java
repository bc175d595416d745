package io.failoverdrill.schemas;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * RFC 3339 UTC timestamps as the contracts use them: written with exactly millisecond precision
 * ({@code 2026-11-29T10:00:00.000Z}); read with a {@code Z} offset and 0–9 fraction digits (truncated to ms).
 * Internally every timestamp is epoch milliseconds.
 */
public final class Timestamps {
    private static final Pattern RFC3339_UTC =
            Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?Z$");
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private Timestamps() {
    }

    /** Parses an RFC 3339 UTC timestamp into epoch milliseconds, or returns {@code Long.MIN_VALUE} if invalid. */
    public static long parseOrMin(String text) {
        if (text == null || !RFC3339_UTC.matcher(text).matches()) {
            return Long.MIN_VALUE;
        }
        try {
            return Instant.parse(text).toEpochMilli();
        } catch (DateTimeParseException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Formats epoch milliseconds as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    public static String format(long epochMillis) {
        return MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }
}
