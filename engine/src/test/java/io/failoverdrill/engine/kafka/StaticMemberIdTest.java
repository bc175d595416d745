package io.failoverdrill.engine.kafka;

import org.apache.kafka.common.requests.JoinGroupRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * A drill id may be any string of 1–128 characters, but the consumer's static member id must be a legal Kafka name:
 * every drill id gets one that Kafka's own validation accepts, and different drill ids get different ones.
 */
class StaticMemberIdTest {
    static final Topics TOPICS = new Topics("drill.");

    @Test
    void aDrillIdThatIsALegalNameIsUsedAsItIs() {
        assertThat(KafkaEventLog.staticMemberId(TOPICS, "dr-2026-11")).isEqualTo("drill.engine.dr-2026-11")
                .isEqualTo(KafkaEventLog.engineId(TOPICS, "dr-2026-11"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"drill 2026/11", "région-ü", "a:b", "ok-but-with space",
            "..", "tab\there", "emoji-\uD83D\uDE80"})
    void anyDrillIdGetsAMemberIdKafkaAccepts(String drillId) {
        String member = KafkaEventLog.staticMemberId(new Topics("a-rather-long-prefix-".repeat(6) + "."), drillId);
        assertThatCode(() -> JoinGroupRequest.validateGroupInstanceId(member)).as(member).doesNotThrowAnyException();
    }

    @Test
    void aLongIdIsCutToFitAndStaysUnique() {
        Topics longPrefix = new Topics("p".repeat(150) + ".");
        String a = KafkaEventLog.staticMemberId(longPrefix, "x".repeat(127) + "a");
        String b = KafkaEventLog.staticMemberId(longPrefix, "x".repeat(127) + "b");
        assertThat(a).hasSizeLessThanOrEqualTo(249).isNotEqualTo(b);
        assertThatCode(() -> JoinGroupRequest.validateGroupInstanceId(a)).doesNotThrowAnyException();
    }

    @Test
    void drillIdsThatDifferOnlyInIllegalCharactersStayApart() {
        assertThat(KafkaEventLog.staticMemberId(TOPICS, "drill 1")).isNotEqualTo(KafkaEventLog.staticMemberId(TOPICS, "drill/1"))
                .isNotEqualTo(KafkaEventLog.staticMemberId(TOPICS, "drill_1"));
    }
}
