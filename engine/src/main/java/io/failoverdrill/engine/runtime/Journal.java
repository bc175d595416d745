package io.failoverdrill.engine.runtime;

import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.JsonReader;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's arrival order, one entry per committed batch: runs of consecutive offsets
 * ({@code [topic, partition, from_offset, count]}) in the order the records were fed to the core. It is written in
 * the same transaction as the batch's outputs, so replaying the journal's records in journal order rebuilds exactly
 * the core state behind the committed decisions — the basis of recovery and of topic replay.
 *
 * <p>On the wire the runs are stored compactly, because records interleaved by event time switch partition at almost
 * every record: {@code parts} lists each partition once with the offset ranges fed from it
 * ({@code [topic, partition, [[from_offset, count], …]]}), and {@code order} spells the interleaving as letters (part
 * 0 = {@code a} … 25 = {@code z}, 26 = {@code A} … 51 = {@code Z}), each followed by a repeat count when it is more
 * than one — {@code "a3bab2"}: three records from part 0, one from part 1, one from 0, two from 1. Within a part the
 * records are taken in offset order. Parts after the 52nd are spelt by their index in braces ({@code "{52}3"}: three
 * records from part 52), so an entry stays small however many partitions a batch draws on (a batch of 20,000 records
 * alternating over 60 partitions spelt as plain runs took about 1 MB, the broker's default record limit).
 * {@link #decode} also reads entries of plain {@code runs} ({@code [[topic, partition, from_offset, count], …]}),
 * which earlier versions wrote for batches over 52 partitions.
 */
public final class Journal {
    /** Consecutive offsets of one partition. */
    public record Run(String topic, int partition, long fromOffset, int count) {
    }

    /** One committed batch. */
    public record Entry(String drillId, long batch, List<Run> runs) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new TreeMap<>();
            m.put("drill_id", drillId);
            m.put("batch", batch);
            Map<String, Integer> partIndex = new java.util.HashMap<>();
            List<Part> parts = new ArrayList<>();
            StringBuilder order = new StringBuilder();
            int lastIndex = -1;
            long pending = 0;
            for (Run r : runs) {
                int index = partIndex.computeIfAbsent(r.topic() + "/" + r.partition(), k -> {
                    parts.add(new Part(r.topic(), r.partition()));
                    return parts.size() - 1;
                });
                parts.get(index).add(r.fromOffset(), r.count());
                if (index != lastIndex) {
                    spell(order, lastIndex, pending);
                    lastIndex = index;
                    pending = 0;
                }
                pending += r.count();
            }
            spell(order, lastIndex, pending);
            m.put("parts", parts.stream().map(Part::toJson).toList());
            m.put("order", order.toString());
            return m;
        }

        private static void spell(StringBuilder order, int index, long count) {
            if (count > 0) {
                if (index < LETTERS.length()) {
                    order.append(LETTERS.charAt(index));
                } else {
                    order.append('{').append(index).append('}');
                }
                if (count > 1) {
                    order.append(count);
                }
            }
        }


        public byte[] bytes() {
            return CanonicalJson.bytes(toJson());
        }

        public int records() {
            return runs.stream().mapToInt(Run::count).sum();
        }
    }

    /** The part letters of {@code order}, by part index. */
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Journal() {
    }

    /** The index of the first entry that is not batch {@code after + 1 + index}, or -1 when they all follow on. */
    public static int firstGap(List<Entry> entries, long after) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).batch() != after + 1 + i) {
                return i;
            }
        }
        return -1;
    }

    /** The runs of {@code records}, in arrival order. */
    public static List<Run> runsOf(List<InboundRecord> records) {
        List<Run> runs = new ArrayList<>();
        for (InboundRecord r : records) {
            append(runs, r.topic(), r.partition(), r.offset(), 1);
        }
        return runs;
    }

    /** Appends offsets {@code [from, from + count)} of one partition, extending the last run when it continues it. */
    private static void append(List<Run> runs, String topic, int partition, long from, int count) {
        Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
        if (last != null && last.topic().equals(topic) && last.partition() == partition && last.fromOffset() + last.count() == from) {
            runs.set(runs.size() - 1, new Run(topic, partition, last.fromOffset(), last.count() + count));
        } else {
            runs.add(new Run(topic, partition, from, count));
        }
    }

    public static Entry decode(JsonNode node) {
        JsonReader r = JsonReader.of(node, "$");
        JsonNode runs = r.raw("runs");
        List<Run> out = new ArrayList<>();
        if (runs != null && runs.isArray()) {
            for (JsonNode run : runs) {
                out.add(new Run(run.get(0).asText(), run.get(1).asInt(), run.get(2).asLong(), run.get(3).asInt()));
            }
        } else {
            JsonNode parts = r.raw("parts");
            if (parts == null || !parts.isArray()) {
                throw new ContractViolation("$.parts", "must be an array of [topic, partition, [[from_offset, count], …]]");
            }
            out = unfold(parts, r.string("order"));
        }
        return new Entry(r.string("drill_id"), r.integer("batch"), out);
    }

    /** The runs that {@code order} spells over {@code parts}, each part's records taken in offset order. */
    private static List<Run> unfold(JsonNode partsJson, String order) {
        List<Part> parts = new ArrayList<>();
        partsJson.forEach(p -> parts.add(Part.of(p)));
        List<Run> out = new ArrayList<>();
        int i = 0;
        while (i < order.length()) {
            char letter = order.charAt(i++);
            int p = LETTERS.indexOf(letter);
            if (letter == '{') {
                int close = order.indexOf('}', i);
                p = close < 0 ? -1 : parseIndex(order.substring(i, close));
                i = close < 0 ? order.length() : close + 1;
            }
            if (p < 0 || p >= parts.size()) {
                throw new ContractViolation("$.order", "must name parts by letter or {index}, got '" + letter + "'");
            }
            long count = 0;
            while (i < order.length() && Character.isDigit(order.charAt(i))) {
                count = count * 10 + (order.charAt(i++) - '0');
            }
            parts.get(p).take(Math.max(count, 1), out);
        }
        return out;
    }

    /** A part index spelt in braces, or -1 when it is not a number. */
    private static int parseIndex(String digits) {
        try {
            return Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** One partition of an entry on the wire: the offset ranges fed from it, read back in offset order. */
    private static final class Part {
        private final String topic;
        private final int partition;
        /** {@code {from_offset, count}}, ascending. */
        private final List<long[]> ranges = new ArrayList<>();
        /** Reading back: the range being taken from, and how many of its records are taken. */
        private int range;
        private long taken;

        Part(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        static Part of(JsonNode json) {
            Part part = new Part(json.get(0).asText(), json.get(1).asInt());
            json.get(2).forEach(r -> part.add(r.get(0).asLong(), r.get(1).asLong()));
            return part;
        }

        void add(long from, long count) {
            long[] last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
            if (last != null && last[0] + last[1] == from) {
                last[1] += count;
            } else {
                ranges.add(new long[]{from, count});
            }
        }

        List<Object> toJson() {
            return List.of(topic, partition, ranges.stream().map(r -> List.of(r[0], r[1])).toList());
        }

        /** Appends this part's next {@code count} records to {@code runs}. */
        void take(long count, List<Run> runs) {
            while (count > 0) {
                if (range == ranges.size()) {
                    throw new ContractViolation("$.order", "takes more records from " + topic + "/" + partition + " than its ranges hold");
                }
                long[] r = ranges.get(range);
                long n = Math.min(count, r[1] - taken);
                append(runs, topic, partition, r[0] + taken, (int) n);
                taken += n;
                count -= n;
                if (taken == r[1]) {
                    range++;
                    taken = 0;
                }
            }
        }
    }
}
