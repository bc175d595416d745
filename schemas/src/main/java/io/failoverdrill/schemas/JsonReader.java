package io.failoverdrill.schemas;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * Reads the fields of one JSON object and checks each against its contract rule. Every failure is a
 * {@link ContractViolation} that names the JSON path of the field and the rule broken.
 */
public final class JsonReader implements TelemetryFields {
    /** Region ids: {@code ^[a-z0-9][a-z0-9-]{0,62}$}. */
    public static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,62}$");

    private final ObjectNode node;
    private final String path;

    private JsonReader(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** A reader over {@code value}, which must be a JSON object found at {@code path}. */
    public static JsonReader of(JsonNode value, String path) {
        if (value == null || !value.isObject()) {
            throw new ContractViolation(path, "must be a JSON object");
        }
        return new JsonReader((ObjectNode) value, path);
    }

    public String path() {
        return path;
    }

    public String pathOf(String field) {
        return path + "." + field;
    }

    public boolean has(String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    public JsonNode raw(String field) {
        return node.get(field);
    }

    private JsonNode required(String field) {
        JsonNode v = node.get(field);
        if (v == null) {
            throw new ContractViolation(pathOf(field), "is required");
        }
        return v;
    }

    public String string(String field) {
        JsonNode v = required(field);
        if (!v.isTextual()) {
            throw new ContractViolation(pathOf(field), "must be a string");
        }
        return v.textValue();
    }

    @Override
    public String string(String field, int minLength, int maxLength) {
        String s = string(field);
        int len = s.codePointCount(0, s.length());
        if (len < minLength || len > maxLength) {
            throw new ContractViolation(pathOf(field),
                    "must be a string of " + minLength + "–" + maxLength + " characters");
        }
        return s;
    }

    public String optionalString(String field) {
        return has(field) ? string(field) : null;
    }

    @Override
    public String optionalString(String field, int minLength, int maxLength) {
        return has(field) ? string(field, minLength, maxLength) : null;
    }

    /** A string that is one of {@code allowed}. */
    @Override
    public String oneOf(String field, Set<String> allowed) {
        String s = string(field);
        if (!allowed.contains(s)) {
            throw new ContractViolation(pathOf(field), "must be one of " + String.join(", ", new java.util.TreeSet<>(allowed)));
        }
        return s;
    }

    /** Same rule as {@link #REGION}, without a regex: this runs for every consumed record. */
    public static boolean isRegion(String s) {
        int n = s.length();
        if (n < 1 || n > 63) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && i > 0);
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String region(String field) {
        String s = string(field);
        if (!isRegion(s)) {
            throw new ContractViolation(pathOf(field), "must match ^[a-z0-9][a-z0-9-]{0,62}$");
        }
        return s;
    }

    @Override
    public String optionalRegion(String field) {
        return has(field) ? region(field) : null;
    }

    /** An RFC 3339 UTC timestamp, returned as epoch milliseconds. */
    @Override
    public long timestamp(String field) {
        String s = string(field);
        long ms = Timestamps.parseOrMin(s);
        if (ms == Long.MIN_VALUE) {
            throw new ContractViolation(pathOf(field), "must be an RFC 3339 UTC timestamp like 2026-11-29T10:00:00.000Z");
        }
        return ms;
    }

    public double number(String field) {
        JsonNode v = required(field);
        if (!v.isNumber()) {
            throw new ContractViolation(pathOf(field), "must be a number");
        }
        double d = v.doubleValue();
        if (!Double.isFinite(d)) {
            throw new ContractViolation(pathOf(field), "must be a finite number");
        }
        return d;
    }

    @Override
    public double number(String field, double min, double max) {
        double d = number(field);
        if (d < min || d > max) {
            throw new ContractViolation(pathOf(field), "must be a number in [" + fmt(min) + ", " + fmt(max) + "]");
        }
        return d;
    }

    @Override
    public double numberAtLeast(String field, double min) {
        double d = number(field);
        if (d < min) {
            throw new ContractViolation(pathOf(field), "must be a number ≥ " + fmt(min));
        }
        return d;
    }

    @Override
    public Double optionalNumberAtLeast(String field, double min) {
        return has(field) ? numberAtLeast(field, min) : null;
    }

    public Double optionalNumber(String field, double min, double max) {
        return has(field) ? number(field, min, max) : null;
    }

    public long integer(String field) {
        JsonNode v = required(field);
        if (!v.isIntegralNumber() && !(v.isNumber() && v.doubleValue() == Math.rint(v.doubleValue()))) {
            throw new ContractViolation(pathOf(field), "must be an integer");
        }
        if (!v.canConvertToLong()) {
            throw new ContractViolation(pathOf(field), "must be an integer in the 64-bit range");
        }
        return v.longValue();
    }

    @Override
    public long integer(String field, long min, long max) {
        long n = integer(field);
        if (n < min || n > max) {
            throw new ContractViolation(pathOf(field), "must be an integer in [" + min + ", " + max + "]");
        }
        return n;
    }

    @Override
    public Long optionalInteger(String field, long min, long max) {
        return has(field) ? integer(field, min, max) : null;
    }

    @Override
    public boolean bool(String field) {
        JsonNode v = required(field);
        if (!v.isBoolean()) {
            throw new ContractViolation(pathOf(field), "must be a boolean");
        }
        return v.booleanValue();
    }

    @Override
    public Boolean optionalBool(String field) {
        return has(field) ? bool(field) : null;
    }

    public JsonReader object(String field) {
        return of(required(field), pathOf(field));
    }

    @Override
    public JsonReader optionalObject(String field) {
        return has(field) ? object(field) : null;
    }

    /** An array of strings; each element checked by {@code elementRule} (null for any string). */
    public List<String> strings(String field, Pattern elementRule) {
        JsonNode v = required(field);
        if (!v.isArray()) {
            throw new ContractViolation(pathOf(field), "must be an array of strings");
        }
        List<String> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode e = v.get(i);
            String at = pathOf(field) + "[" + i + "]";
            if (!e.isTextual()) {
                throw new ContractViolation(at, "must be a string");
            }
            if (elementRule != null && !elementRule.matcher(e.textValue()).matches()) {
                throw new ContractViolation(at, "must match " + elementRule.pattern());
            }
            out.add(e.textValue());
        }
        return Collections.unmodifiableList(out);
    }

    public List<String> optionalStrings(String field, Pattern elementRule) {
        return has(field) ? strings(field, elementRule) : null;
    }

    /** Any JSON value as plain Java ({@link JsonValues#toJava}); null when absent. */
    public Object any(String field) {
        JsonNode v = node.get(field);
        return v == null ? null : JsonValues.toJava(v);
    }

    /** A JSON object whose values are anything, as a sorted map (absent → empty). */
    public SortedMap<String, Object> optionalAnyObject(String field) {
        if (!has(field)) {
            return new TreeMap<>();
        }
        JsonNode v = node.get(field);
        if (!v.isObject()) {
            throw new ContractViolation(pathOf(field), "must be a JSON object");
        }
        @SuppressWarnings("unchecked")
        SortedMap<String, Object> m = (SortedMap<String, Object>) JsonValues.toJava(v);
        return m;
    }

    // ---------------------------------------------------------------- TelemetryFields: the tree side of the rules

    @Override
    public String id(String field, int minLength, int maxLength) {
        return string(field, minLength, maxLength);
    }

    @Override
    public String optionalId(String field) {
        return optionalString(field);
    }

    @Override
    public String nullOrOneOf(String field, Set<String> allowed) {
        if (raw(field) == null) {
            throw new ContractViolation(pathOf(field), "is required (null or one of " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
        }
        return raw(field).isNull() ? null : oneOf(field, allowed);
    }

    @Override
    public List<String> optionalStrings(String field) {
        return optionalStrings(field, null);
    }

    @Override
    public SortedMap<String, Object> optionalScalars(String field) {
        if (!has(field)) {
            return null;
        }
        SortedMap<String, Object> m = optionalAnyObject(field);
        m.forEach((k, v) -> {
            if (!(v instanceof String) && !(v instanceof Number)) {
                throw new ContractViolation(pathOf(field) + "." + k, "must be a string or a number");
            }
        });
        return m;
    }

    public Iterable<String> fieldNames() {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
