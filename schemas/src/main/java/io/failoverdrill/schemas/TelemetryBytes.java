package io.failoverdrill.schemas;

import io.failoverdrill.schemas.event.Telemetry;
import io.failoverdrill.schemas.event.TelemetryEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The first fast path of {@link Codec#decodeInput(byte[])}: a telemetry record in the common shape goes straight from
 * its bytes to a {@link TelemetryEvent}, the contract's rules checked on the way, without building a JSON tree. It only
 * ever takes records that are certainly fine: control and ack records, anything outside {@link JsonScanner}'s shape,
 * nested values other than {@code phases} and the string arrays, a duplicate member, a number it would have to
 * convert ({@code 200.0} as an integer, 19+ digit integers) and every record that breaks a rule return null, and the
 * record goes the general way ({@link FlatJson} or Jackson, then {@link JsonReader}), which gives the exact event or
 * the exact violation. A record it takes is decoded exactly as the general way decodes it — property-tested against
 * it. Unknown extra members are skipped (docs/contracts.md: ignored) when their values are scalars.
 */
final class TelemetryBytes extends JsonScanner {
    private static final byte ABSENT = 0, STRING = 1, INTEGRAL = 2, BIG_INTEGRAL = 3, FRACTIONAL = 4, TRUE = 5,
            FALSE = 6, NULL = 7, OBJECT = 8, ARRAY = 9;
    private static final int MAX_UNKNOWN_NAMES = 8;

    private static final int TYPE = slot("type"), EVENT_ID = slot("event_id"), REGION = slot("region"),
            OBSERVER = slot("observer"), TS = slot("ts"), DRILL_ID = slot("drill_id"), LATENCY_MS = slot("latency_ms"),
            STATUS = slot("status"), ERROR = slot("error"), PHASES = slot("phases"), CONNECT_MS = slot("connect_ms"),
            TLS_MS = slot("tls_ms"), TTFB_MS = slot("ttfb_ms"), BODY_MS = slot("body_ms"), COLD = slot("cold"),
            TARGET = slot("target"), QUEUE = slot("queue"), LENGTH = slot("length"),
            OLDEST_AGE_MS = slot("oldest_age_ms"), QUESTION_ID = slot("question_id"), DELTA_S = slot("delta_s"),
            LAMBDA = slot("lambda"), COVERAGE = slot("coverage"), TOP_IDS = slot("top_ids"),
            ANSWER_HASH = slot("answer_hash"), INDEX_HASH = slot("index_hash"), METRIC = slot("metric"),
            ANALYZER = slot("analyzer"), BUILD_TS = slot("build_ts"), EMBED_MODEL = slot("embed_model"),
            CONTRACT_FIELDS = slot("contract_fields"), READY = slot("ready"), HIT_RATIO = slot("hit_ratio"),
            HOT_KEYS_PRESENT = slot("hot_keys_present"), WRITE_ID = slot("write_id"), STATE = slot("state"),
            WRITER_REGION = slot("writer_region"), DEDUPE_KEY = slot("dedupe_key"), EMITTED_FROM = slot("emitted_from");
    /** The members of {@code phases}, in the order of {@link Telemetry.Phases}'s components. */
    private static final int[] PHASE_MEMBERS = {CONNECT_MS, TLS_MS, TTFB_MS, BODY_MS};

    private static int slot(String name) {
        int k = Arrays.asList(KNOWN_NAMES).indexOf(name);
        if (k < 0) {
            throw new IllegalStateException(name);
        }
        return k;
    }

    /** Per known member: what its value is, and where ({@code [start, end)}, a string without its quotes). */
    private final byte[] kinds = new byte[KNOWN_NAMES.length];
    private final int[] starts = new int[KNOWN_NAMES.length];
    private final int[] ends = new int[KNOWN_NAMES.length];
    private final int[] hashes = new int[KNOWN_NAMES.length];
    /** Where the unknown members' names are, to find a duplicate among them. */
    private final int[] unknownNames = new int[2 * MAX_UNKNOWN_NAMES];
    private int unknownCount;
    private Telemetry.Phases phases;
    private List<String> topIds;
    private List<String> contractFields;

    private TelemetryBytes(byte[] bytes) {
        super(bytes);
    }

    /** The telemetry event in {@code bytes}, or null when this path does not take the record (see the class). */
    static TelemetryEvent decodeOrNull(byte[] bytes) {
        return readOrNull(bytes, b -> {
            TelemetryBytes p = new TelemetryBytes(b);
            p.skipSpace();
            p.members();
            return p.atEndAfterSpace() ? p.event() : null;
        });
    }

    /** Reads the root object, noting where each member's value is. */
    private void members() {
        expect('{');
        skipSpace();
        if (b[i] == '}') {
            i++;
            return;
        }
        while (true) {
            skipSpace();
            int known = nameIndex();
            if (known < 0) {
                rememberUnknown();
            } else if (kinds[known] != ABSENT) {
                throw leave(); // a duplicate: Jackson reports it
            }
            skipSpace();
            expect(':');
            skipSpace();
            byte kind = value(known);
            if (known >= 0) {
                kinds[known] = kind;
            }
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect('}');
                return;
            }
        }
    }

    private void rememberUnknown() {
        for (int u = 0; u < unknownCount; u++) {
            int from = unknownNames[2 * u];
            int to = unknownNames[2 * u + 1];
            if (Arrays.equals(b, from, to, b, nameStart, nameEnd)) {
                throw leave();
            }
        }
        if (unknownCount == MAX_UNKNOWN_NAMES) {
            throw leave();
        }
        unknownNames[2 * unknownCount] = nameStart;
        unknownNames[2 * unknownCount + 1] = nameEnd;
        unknownCount++;
    }

    /** Scans the value of member {@code known} (-1: unknown), storing its span; returns its kind. */
    private byte value(int known) {
        int start = i;
        byte c = b[i];
        byte kind;
        switch (c) {
            case '"' -> {
                start = stringEnd();
                kind = STRING;
                if (known >= 0) {
                    starts[known] = start;
                    ends[known] = i;
                    hashes[known] = stringHash;
                }
                i++;
                return kind;
            }
            case 't' -> {
                literal("true");
                kind = TRUE;
            }
            case 'f' -> {
                literal("false");
                kind = FALSE;
            }
            case 'n' -> {
                literal("null");
                kind = NULL;
            }
            case '{' -> {
                if (known != PHASES) {
                    throw leave();
                }
                phases = phases();
                kind = OBJECT;
            }
            case '[' -> {
                if (known == TOP_IDS) {
                    topIds = strings();
                } else if (known == CONTRACT_FIELDS) {
                    contractFields = strings();
                } else {
                    throw leave();
                }
                kind = ARRAY;
            }
            default -> {
                if (c != '-' && (c < '0' || c > '9')) {
                    throw leave();
                }
                int intDigits = numberToken(start);
                kind = intDigits < 0 ? FRACTIONAL : intDigits > 18 ? BIG_INTEGRAL : INTEGRAL;
            }
        }
        if (known >= 0) {
            starts[known] = start;
            ends[known] = i;
        }
        return kind;
    }

    /** {@code phases}: an object of the four timings, each a number ≥ 0 or null; anything else leaves. */
    private Telemetry.Phases phases() {
        expect('{');
        Double[] timings = new Double[PHASE_MEMBERS.length];
        boolean[] seen = new boolean[PHASE_MEMBERS.length];
        skipSpace();
        if (b[i] == '}') {
            i++;
            return new Telemetry.Phases(null, null, null, null);
        }
        while (true) {
            skipSpace();
            int known = nameIndex();
            int p = 0;
            while (p < PHASE_MEMBERS.length && PHASE_MEMBERS[p] != known) {
                p++;
            }
            if (p == PHASE_MEMBERS.length || seen[p]) {
                throw leave();
            }
            seen[p] = true;
            skipSpace();
            expect(':');
            skipSpace();
            if (b[i] == 'n') {
                literal("null");
            } else {
                int start = i;
                int intDigits = numberToken(start);
                timings[p] = atLeastZero(number(intDigits < 0 ? FRACTIONAL : intDigits > 18 ? BIG_INTEGRAL : INTEGRAL, start, i));
            }
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect('}');
                return new Telemetry.Phases(timings[0], timings[1], timings[2], timings[3]);
            }
        }
    }

    /** An array of strings (the contracts' arrays), unmodifiable like {@link JsonReader#strings}. */
    private List<String> strings() {
        expect('[');
        List<String> items = new ArrayList<>(8);
        skipSpace();
        if (b[i] == ']') {
            i++;
            return Collections.unmodifiableList(items);
        }
        while (true) {
            skipSpace();
            items.add(string());
            skipSpace();
            if (b[i] == ',') {
                i++;
            } else {
                expect(']');
                return Collections.unmodifiableList(items);
            }
        }
    }

    /** The event, by the rules of {@link Codec}'s general path; a broken rule leaves (that path names it). */
    private TelemetryEvent event() {
        String type = repeating(TYPE);
        String eventId = fresh(EVENT_ID, 1, Codec.ID_CHARS);
        String region = region(REGION);
        String observer = bounded(repeating(OBSERVER), 1, Codec.NAME_CHARS);
        long ts = timestamp(TS);
        String drillId = present(DRILL_ID) ? bounded(repeating(DRILL_ID), 1, Codec.ID_CHARS) : null;
        Telemetry payload = switch (type) {
            case "request" -> request();
            case "backlog" -> new Telemetry.Backlog(bounded(repeating(QUEUE), 1, Codec.NAME_CHARS), integer(LENGTH, 0, Long.MAX_VALUE),
                    atLeastZero(number(OLDEST_AGE_MS)));
            case "rag_probe" -> new Telemetry.RagProbe(bounded(repeating(QUESTION_ID), 1, Codec.NAME_CHARS), within(number(DELTA_S), Codec.MAX_DELTA_S),
                    oneOf(repeating(LAMBDA), Telemetry.RagProbe.LAMBDAS), within(number(COVERAGE), 1),
                    present(TOP_IDS) ? arrayOf(TOP_IDS, topIds) : null,
                    present(ANSWER_HASH) ? fresh(ANSWER_HASH, 0, Integer.MAX_VALUE) : null);
            case "index_meta" -> new Telemetry.IndexMeta(bounded(repeating(INDEX_HASH), 1, Codec.NAME_CHARS),
                    bounded(repeating(METRIC), 1, Codec.LABEL_CHARS), bounded(repeating(ANALYZER), 1, Codec.LABEL_CHARS), timestamp(BUILD_TS),
                    present(EMBED_MODEL) ? repeating(EMBED_MODEL) : null,
                    present(CONTRACT_FIELDS) ? arrayOf(CONTRACT_FIELDS, contractFields) : null);
            case "health" -> new Telemetry.Health(bool(READY));
            case "cache" -> new Telemetry.Cache(within(number(HIT_RATIO), 1), present(HOT_KEYS_PRESENT) ? bool(HOT_KEYS_PRESENT) : null);
            case "write" -> new Telemetry.Write(fresh(WRITE_ID, 1, Codec.NAME_CHARS), oneOf(repeating(STATE), Telemetry.Write.STATES),
                    region(WRITER_REGION));
            case "webhook" -> new Telemetry.Webhook(fresh(DEDUPE_KEY, 1, Codec.NAME_CHARS), region(EMITTED_FROM));
            case "heartbeat" -> new Telemetry.Heartbeat();
            default -> throw leave(); // control, ack, or an unknown type
        };
        return new TelemetryEvent(eventId, region, observer, ts, drillId, payload);
    }

    private Telemetry.Request request() {
        double latency = atLeastZero(number(LATENCY_MS));
        int status = (int) integer(STATUS, 0, Codec.MAX_STATUS);
        byte errorKind = kinds[ERROR];
        String error = errorKind == NULL ? null : oneOf(repeating(ERROR), Telemetry.ERROR_CLASSES);
        Telemetry.Phases timings = null;
        if (present(PHASES)) {
            if (kinds[PHASES] != OBJECT) {
                throw leave();
            }
            timings = phases;
        }
        return new Telemetry.Request(latency, status, error, timings, present(COLD) ? bool(COLD) : null,
                present(TARGET) ? repeating(TARGET) : null);
    }

    /** Present and not null: what {@link JsonReader#has} means. */
    private boolean present(int slot) {
        return kinds[slot] != ABSENT && kinds[slot] != NULL;
    }

    private void requireString(int slot) {
        if (kinds[slot] != STRING) {
            throw leave();
        }
    }

    /** A string whose values repeat (shared copies). */
    private String repeating(int slot) {
        requireString(slot);
        return repeatingString(starts[slot], ends[slot], hashes[slot]);
    }

    /** A string of {@code min}–{@code max} characters that is new with every record. */
    private String fresh(int slot, int min, int max) {
        requireString(slot);
        return bounded(new String(b, starts[slot], ends[slot] - starts[slot], StandardCharsets.ISO_8859_1), min, max);
    }

    /** ASCII only here, so the length in characters is the length in code points. */
    private static String bounded(String s, int min, int max) {
        if (s.length() < min || s.length() > max) {
            throw leave();
        }
        return s;
    }

    private String region(int slot) {
        String s = repeating(slot);
        if (!JsonReader.isRegion(s)) {
            throw leave();
        }
        return s;
    }

    private static String oneOf(String s, java.util.Set<String> allowed) {
        if (!allowed.contains(s)) {
            throw leave();
        }
        return s;
    }

    private long timestamp(int slot) {
        requireString(slot);
        long ms = Timestamps.parseOrMin(b, starts[slot], ends[slot]);
        if (ms == Long.MIN_VALUE) {
            throw leave();
        }
        return ms;
    }

    private double number(int slot) {
        return number(kinds[slot], starts[slot], ends[slot]);
    }

    /** A JSON number as {@link JsonReader#number} reads it: integers of up to 18 digits and finite fractions. */
    private double number(byte kind, int start, int end) {
        if (kind == INTEGRAL) {
            return integralValue(start, end);
        }
        if (kind == FRACTIONAL) {
            return fractionalValue(start, end);
        }
        throw leave();
    }

    private static double atLeastZero(double d) {
        if (d < 0) {
            throw leave();
        }
        return d;
    }

    /** In {@code [0, max]}. */
    private static double within(double d, double max) {
        if (d < 0 || d > max) {
            throw leave();
        }
        return d;
    }

    private long integer(int slot, long min, long max) {
        if (kinds[slot] != INTEGRAL) {
            throw leave();
        }
        long v = integralValue(starts[slot], ends[slot]);
        if (v < min || v > max) {
            throw leave();
        }
        return v;
    }

    private boolean bool(int slot) {
        byte kind = kinds[slot];
        if (kind != TRUE && kind != FALSE) {
            throw leave();
        }
        return kind == TRUE;
    }

    private List<String> arrayOf(int slot, List<String> parsed) {
        if (kinds[slot] != ARRAY) {
            throw leave();
        }
        return parsed;
    }
}
