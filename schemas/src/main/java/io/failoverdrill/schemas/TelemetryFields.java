package io.failoverdrill.schemas;

import java.util.List;
import java.util.Set;
import java.util.SortedMap;

/**
 * The members of one telemetry record, each read by a rule of the contract (docs/contracts.md §1). The rules
 * themselves are written once, in {@link io.failoverdrill.schemas.event.TelemetryEvent#read} and the readers of
 * {@link io.failoverdrill.schemas.event.Telemetry}'s records; this interface is what they read from. There are two
 * sides: a JSON tree ({@link JsonReader}), which names the path and the rule of a broken one in a
 * {@link ContractViolation}, and the members a fast decoder has collected ({@link TelemetrySlots}), which gives up on
 * the first broken rule so that the record is decoded again through the tree and the violation named the same way.
 * "Absent" below means absent or {@code null}, as {@link JsonReader#has} does.
 */
public interface TelemetryFields {
    /** Length limits in characters (code points): ids ({@code event_id}, {@code drill_id}, {@code command_id}). */
    int ID_CHARS = 128;
    /** Names: observers, queues, questions, keys, hashes. */
    int NAME_CHARS = 256;
    /** Labels: metric, analyzer, check. */
    int LABEL_CHARS = 128;

    /** A required string of {@code min}–{@code max} characters whose values repeat from record to record. */
    String string(String name, int min, int max);

    /** {@link #string} for a value that is new with every record (an id or key): not worth sharing. */
    String id(String name, int min, int max);

    /** An optional string of {@code min}–{@code max} characters; null when absent. */
    String optionalString(String name, int min, int max);

    /** An optional string of any length that is new with every record; null when absent. */
    String optionalId(String name);

    /** A required string that is one of {@code allowed}. */
    String oneOf(String name, Set<String> allowed);

    /** A member that must be present: {@code null} or one of {@code allowed}. */
    String nullOrOneOf(String name, Set<String> allowed);

    /** A required region id ({@code ^[a-z0-9][a-z0-9-]{0,62}$}). */
    String region(String name);

    /** An optional region id; null when absent. */
    String optionalRegion(String name);

    /** A required RFC 3339 UTC timestamp, as epoch milliseconds. */
    long timestamp(String name);

    /** A required finite number in {@code [min, max]}. */
    double number(String name, double min, double max);

    /** A required finite number ≥ {@code min}. */
    double numberAtLeast(String name, double min);

    /** An optional finite number ≥ {@code min}; null when absent. */
    Double optionalNumberAtLeast(String name, double min);

    /** A required integer in {@code [min, max]}. */
    long integer(String name, long min, long max);

    /** An optional integer in {@code [min, max]}; null when absent. */
    Long optionalInteger(String name, long min, long max);

    boolean bool(String name);

    /** An optional boolean; null when absent. */
    Boolean optionalBool(String name);

    /** An optional array of strings; null when absent. */
    List<String> optionalStrings(String name);

    /** An optional object read by the same rules; null when absent. */
    TelemetryFields optionalObject(String name);

    /** An optional object whose members are strings or numbers, sorted by name; null when absent. */
    SortedMap<String, Object> optionalScalars(String name);
}
