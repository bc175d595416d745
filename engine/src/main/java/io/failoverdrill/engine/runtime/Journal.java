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
            List<Object> rs = new ArrayList<>();
            runs.forEach(r -> rs.add(List.of(r.topic(), r.partition(), r.fromOffset(), r.count())));
            m.put("runs", rs);
            return m;
        }

        public byte[] bytes() {
            return CanonicalJson.bytes(toJson());
        }

        public int records() {
            return runs.stream().mapToInt(Run::count).sum();
        }
    }

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
        if (runs == null || !runs.isArray()) {
            throw new ContractViolation("$.runs", "must be an array of [topic, partition, from_offset, count]");
        }
        List<Run> out = new ArrayList<>();
        for (JsonNode run : runs) {
            out.add(new Run(run.get(0).asText(), run.get(1).asInt(), run.get(2).asLong(), run.get(3).asInt()));
        }
        return new Entry(r.string("drill_id"), r.integer("batch"), out);
    }
}
