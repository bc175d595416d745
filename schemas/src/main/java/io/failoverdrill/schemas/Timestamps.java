package io.failoverdrill.schemas;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * RFC 3339 UTC timestamps as the contracts use them: written with exactly millisecond precision
 * ({@code 2026-11-29T10:00:00.000Z}); read with a {@code Z} offset and 0–9 fraction digits (truncated to ms).
 * Internally every timestamp is epoch milliseconds.
 */
public final class Timestamps {
    private static final DateTimeFormatter MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private Timestamps() {
    }

    /**
     * Parses an RFC 3339 UTC timestamp ({@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z}) into epoch milliseconds, or returns
     * {@code Long.MIN_VALUE} if it is not one (bad shape, or a field out of range such as month 13). Hand-written:
     * it runs once per consumed record, where a regex plus {@code Instant.parse} costs a microsecond.
     */
    public static long parseOrMin(String text) {
        if (text == null) {
            return Long.MIN_VALUE;
        }
        // a character outside Latin-1 becomes '?', which fits no position of the shape, just as the character does not
        byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return parseOrMin(bytes, 0, bytes.length);
    }

    /** {@link #parseOrMin(String)} of the ASCII text {@code bytes[from, to)}, without making a string of it. */
    public static long parseOrMin(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n < 20 || bytes[to - 1] != 'Z' || bytes[from + 4] != '-' || bytes[from + 7] != '-'
                || bytes[from + 10] != 'T' || bytes[from + 13] != ':' || bytes[from + 16] != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(bytes, from, 4);
        int month = digits(bytes, from + 5, 2);
        int day = digits(bytes, from + 8, 2);
        int hour = digits(bytes, from + 11, 2);
        int minute = digits(bytes, from + 14, 2);
        int second = digits(bytes, from + 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21; // characters between '.' and 'Z'
            if (bytes[from + 19] != '.' || fraction < 1 || fraction > 9) {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < fraction; i++) {
                byte c = bytes[from + 20 + i];
                if (c < '0' || c > '9') {
                    return Long.MIN_VALUE;
                }
                if (i < 3) {
                    millis = millis * 10 + (c - '0');
                }
            }
            for (int i = fraction; i < 3; i++) {
                millis *= 10;
            }
        }
        if (day > java.time.YearMonth.of(year, month).lengthOfMonth()) {
            return Long.MIN_VALUE;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return ((epochDay * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
    }

    private static int digits(byte[] s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            byte c = s[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Formats epoch milliseconds as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}. */
    public static String format(long epochMillis) {
        return MILLIS.format(Instant.ofEpochMilli(epochMillis));
    }
}
