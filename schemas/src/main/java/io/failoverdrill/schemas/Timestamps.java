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
        int n = text.length();
        if (n < 20 || text.charAt(n - 1) != 'Z' || text.charAt(4) != '-' || text.charAt(7) != '-'
                || text.charAt(10) != 'T' || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return Long.MIN_VALUE;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59) {
            return Long.MIN_VALUE;
        }
        int millis = 0;
        if (n > 20) {
            int fraction = n - 21; // characters between '.' and 'Z'
            if (text.charAt(19) != '.' || fraction < 1 || fraction > 9) {
                return Long.MIN_VALUE;
            }
            for (int i = 0; i < fraction; i++) {
                char c = text.charAt(20 + i);
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

    private static int digits(String s, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = s.charAt(i);
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
