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
 * records are taken in offset order. A batch drawing on more than 52 partitions is written as plain {@code runs}
 * (which {@link #decode} also reads).
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
            Map<String, Integer> partIndex = new java.util.LinkedHashMap<>();
            List<Object[]> parts = new ArrayList<>();
            StringBuilder order = new StringBuilder();
            int lastIndex = -1;
            long pending = 0;
            for (Run r : runs) {
                Integer index = partIndex.get(r.topic() + "/" + r.partition());
                if (index == null) {
                    index = parts.size();
                    partIndex.put(r.topic() + "/" + r.partition(), index);
                    parts.add(new Object[]{r.topic(), r.partition(), new ArrayList<List<Long>>()});
                }
                @SuppressWarnings("unchecked")
                List<List<Long>> ranges = (List<List<Long>>) parts.get(index)[2];
                List<Long> last = ranges.isEmpty() ? null : ranges.get(ranges.size() - 1);
                if (last != null && last.get(0) + last.get(1) == r.fromOffset()) {
                    ranges.set(ranges.size() - 1, List.of(last.get(0), last.get(1) + r.count()));
                } else {
                    ranges.add(List.of(r.fromOffset(), (long) r.count()));
                }
                if (index >= LETTERS.length()) {
                    m.put("runs", runsJson());
                    return m;
                }
                if (index != lastIndex) {
                    spell(order, lastIndex, pending);
                    lastIndex = index;
                    pending = 0;
                }
                pending += r.count();
            }
            spell(order, lastIndex, pending);
            List<Object> ps = new ArrayList<>();
            parts.forEach(p -> ps.add(List.of(p[0], p[1], p[2])));
            m.put("parts", ps);
            m.put("order", order.toString());
            return m;
        }

        private static void spell(StringBuilder order, int index, long count) {
            if (count > 0) {
                order.append(LETTERS.charAt(index));
                if (count > 1) {
                    order.append(count);
                }
            }
        }

        private List<Object> runsJson() {
            List<Object> rs = new ArrayList<>();
            runs.forEach(r -> rs.add(List.of(r.topic(), r.partition(), r.fromOffset(), r.count())));
            return rs;
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

    /** The runs of {@code records}, in arrival order. */
    public static List<Run> runsOf(List<InboundRecord> records) {
        List<Run> runs = new ArrayList<>();
        for (InboundRecord r : records) {
            Run last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
            if (last != null && last.topic().equals(r.topic()) && last.partition() == r.partition()
                    && last.fromOffset() + last.count() == r.offset()) {
                runs.set(runs.size() - 1, new Run(last.topic(), last.partition(), last.fromOffset(), last.count() + 1));
            } else {
                runs.add(new Run(r.topic(), r.partition(), r.offset(), 1));
            }
        }
        return runs;
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

    /** The runs that {@code order} spells over {@code parts}, each part's ranges taken in offset order. */
    private static List<Run> unfold(JsonNode parts, String order) {
        int n = parts.size();
        long[][] ranges = new long[n][];
        int[] rangeAt = new int[n];
        long[] next = new long[n];
        long[] leftInRange = new long[n];
        for (int p = 0; p < n; p++) {
            JsonNode rs = parts.get(p).get(2);
            ranges[p] = new long[rs.size() * 2];
            for (int k = 0; k < rs.size(); k++) {
                ranges[p][2 * k] = rs.get(k).get(0).asLong();
                ranges[p][2 * k + 1] = rs.get(k).get(1).asLong();
            }
            next[p] = ranges[p][0];
            leftInRange[p] = ranges[p][1];
        }
        List<Run> out = new ArrayList<>();
        int i = 0;
        while (i < order.length()) {
            int p = LETTERS.indexOf(order.charAt(i++));
            if (p < 0 || p >= n) {
                throw new ContractViolation("$.order", "must name parts by letter, got '" + order.charAt(i - 1) + "'");
            }
            long count = 0;
            while (i < order.length() && Character.isDigit(order.charAt(i))) {
                count = count * 10 + (order.charAt(i++) - '0');
            }
            count = Math.max(count, 1);
            String topic = parts.get(p).get(0).asText();
            int partition = parts.get(p).get(1).asInt();
            while (count > 0) {
                if (leftInRange[p] == 0) {
                    rangeAt[p]++;
                    if (2 * rangeAt[p] >= ranges[p].length) {
                        throw new ContractViolation("$.order", "takes more records from part " + p + " than its ranges hold");
                    }
                    next[p] = ranges[p][2 * rangeAt[p]];
                    leftInRange[p] = ranges[p][2 * rangeAt[p] + 1];
                }
                long take = Math.min(count, leftInRange[p]);
                Run last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && last.topic().equals(topic) && last.partition() == partition
                        && last.fromOffset() + last.count() == next[p]) {
                    out.set(out.size() - 1, new Run(topic, partition, last.fromOffset(), last.count() + (int) take));
                } else {
                    out.add(new Run(topic, partition, next[p], (int) take));
                }
                next[p] += take;
                leftInRange[p] -= take;
                count -= take;
            }
        }
        return out;
    }
}
