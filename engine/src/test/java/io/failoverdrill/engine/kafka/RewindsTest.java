package io.failoverdrill.engine.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RewindsTest {
    static final TopicPartition P0 = new TopicPartition("t", 0);
    static final TopicPartition P1 = new TopicPartition("t", 1);

    static List<ConsumerRecord<String, String>> records(TopicPartition tp, long... offsets) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        for (long o : offsets) {
            out.add(new ConsumerRecord<>(tp.topic(), tp.partition(), o, "k", "v"));
        }
        return out;
    }

    static List<String> shown(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(r -> r.partition() + "@" + r.offset()).toList();
    }

    @Test
    void whatWasPolledBeforeTheSeekIsDroppedUntilThePartitionArrivesFromItsOffsetAgain() {
        Rewinds rewinds = new Rewinds();
        rewinds.expect(P0, 13, 20); // let go from 13; the consumer had polled up to 19
        List<ConsumerRecord<String, String>> batch = new ArrayList<>(records(P0, 17, 18, 19));
        batch.addAll(records(P1, 5, 6));
        assertThat(shown(rewinds.filter(batch))).containsExactly("1@5", "1@6");
        assertThat(rewinds.isEmpty()).isFalse();
        assertThat(shown(rewinds.filter(records(P0, 13, 14, 15)))).containsExactly("0@13", "0@14", "0@15");
        assertThat(rewinds.isEmpty()).isTrue();
        assertThat(shown(rewinds.filter(records(P0, 16, 17)))).containsExactly("0@16", "0@17");
    }

    @Test
    void aRewindWhoseOffsetIsGoneEndsAtTheOldPosition() {
        Rewinds rewinds = new Rewinds();
        rewinds.expect(P0, 13, 20);
        // offsets 13..21 were deleted meanwhile (retention): the partition comes back from 22, past anything polled before
        assertThat(shown(rewinds.filter(records(P0, 19, 22, 23)))).containsExactly("0@22", "0@23");
        assertThat(rewinds.isEmpty()).isTrue();
    }
}
