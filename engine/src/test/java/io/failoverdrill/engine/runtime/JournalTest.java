package io.failoverdrill.engine.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal's compact wire form gives back exactly the runs it was written from, whatever the interleaving. */
class JournalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void interleavedPartitionsAreSpelledAsLettersWithCounts() throws Exception {
        List<InboundRecord> fed = List.of(rec("t", 0, 10), rec("t", 0, 11), rec("t", 0, 12), rec("t", 1, 5),
                rec("t", 0, 13), rec("t", 1, 6), rec("t", 1, 8), rec("c", 0, 0));
        Journal.Entry entry = new Journal.Entry("d", 7, Journal.runsOf(fed));
        String wire = new String(entry.bytes(), StandardCharsets.UTF_8);
        assertThat(wire).isEqualTo("{\"batch\":7,\"drill_id\":\"d\",\"order\":\"a3bab2c\","
                + "\"parts\":[[\"t\",0,[[10,4]]],[\"t\",1,[[5,2],[8,1]]],[\"c\",0,[[0,1]]]]}");
        assertThat(Journal.decode(JSON.readTree(entry.bytes()))).isEqualTo(entry);
        assertThat(entry.records()).isEqualTo(8);
    }

    @Test
    void partsAfterTheFiftySecondAreSpeltByIndexAndTheEntryStaysSmall() throws Exception {
        List<InboundRecord> fed = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) { // a catch-up batch interleaved by event time over 60 partitions
            fed.add(rec("prod.eu-central.failover-drill.telemetry", i % 60, 1_000_000 + i / 60));
        }
        Journal.Entry entry = new Journal.Entry("guard-checkout-eu", 12, Journal.runsOf(fed));
        String wire = new String(entry.bytes(), StandardCharsets.UTF_8);
        assertThat(wire).contains("\"order\":\"abcd").contains("XYZ{52}{53}").doesNotContain("\"runs\"");
        assertThat(entry.bytes().length).as("a tenth of the broker's default record limit").isLessThan(100 * 1024);
        assertThat(Journal.decode(JSON.readTree(entry.bytes()))).isEqualTo(entry);
    }

    @Test
    void entriesOfPlainRunsFromEarlierVersionsAreStillRead() throws Exception {
        Journal.Entry entry = Journal.decode(JSON.readTree("{\"batch\":4,\"drill_id\":\"d\",\"runs\":[[\"t\",60,7,2],[\"t\",0,3,1]]}"));
        assertThat(entry.runs()).containsExactly(new Journal.Run("t", 60, 7, 2), new Journal.Run("t", 0, 3, 1));
    }

    @Test
    void anOrderNamingNoPartIsRefusedWithItsPath() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Journal.decode(JSON.readTree(
                        "{\"batch\":4,\"drill_id\":\"d\",\"order\":\"a{7}\",\"parts\":[[\"t\",0,[[3,1]]]]}")))
                .isInstanceOf(io.failoverdrill.schemas.ContractViolation.class).hasMessageContaining("{index}");
    }

    @Property(tries = 300, seed = "20261129")
    void decodingTheWireFormGivesTheSameRuns(@ForAll @IntRange(min = 1, max = 120) int partitions,
                                            @ForAll @IntRange(min = 0, max = 2000) int records, @ForAll long seed)
            throws Exception {
        Random random = new Random(seed);
        long[] next = new long[partitions];
        List<InboundRecord> fed = new ArrayList<>();
        int current = 0;
        for (int i = 0; i < records; i++) {
            if (random.nextInt(3) == 0) {
                current = random.nextInt(partitions);
            }
            next[current] += random.nextInt(10) == 0 ? 2 : 1; // the odd gap: a transaction marker
            fed.add(rec(current % 3 == 0 ? "control" : "telemetry", current, next[current]));
        }
        Journal.Entry entry = new Journal.Entry("drill-1", 3, Journal.runsOf(fed));
        Journal.Entry back = Journal.decode(JSON.readTree(entry.bytes()));
        assertThat(back).isEqualTo(entry);
        assertThat(back.records()).isEqualTo(records);
    }

    private static InboundRecord rec(String topic, int partition, long offset) {
        return new InboundRecord(topic, partition, offset, null, new byte[0]);
    }
}
