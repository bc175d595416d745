package io.failoverdrill.schemas.sign;

import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.decision.Command;
import io.failoverdrill.schemas.decision.CommandBody;
import io.failoverdrill.schemas.decision.Reason;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The actuator's gate: new, redelivered (acked as the first time) and replayed commands, and outcomes looked up late. */
class CommandGateTest {
    final SigningKey key = SigningKey.generate();
    final CommandGate gate = new CommandGate(() -> new KeySet(List.of(new KeySet.Entry(key.kid(), key.publicKey(), "active",
            Long.MAX_VALUE))), () -> 0L);
    final Command evacuate = Command.of("d", 1, 1_795_946_400_000L, new Reason("test", new TreeMap<>()),
            new CommandBody.SetWeights(new TreeMap<>(Map.of("us-east", 0, "eu-west", 100))));

    CommandGate.Admission admit(Command c) {
        byte[] value = Codec.encode(c);
        Map<String, String> h = key.headers(value);
        return gate.admit(c, value, h.get(SigningKey.KID_HEADER).getBytes(StandardCharsets.UTF_8),
                h.get(SigningKey.SIG_HEADER).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anOutcomeSettledLaterIsLookedUpOnceAndOnlyWhenTheCommandComesAgain() {
        AtomicInteger lookups = new AtomicInteger();
        assertThat(admit(evacuate).kind()).isEqualTo(CommandGate.Admission.Kind.APPLY);
        gate.settledLater(evacuate.commandId(), () -> {
            lookups.incrementAndGet();
            return new CommandGate.Outcome("rejected", Map.of("reason", "failed", "detail", "HAProxy refused"));
        });
        assertThat(lookups).as("not looked up before it is needed").hasValue(0);

        CommandGate.Admission again = admit(evacuate);
        assertThat(again.kind()).isEqualTo(CommandGate.Admission.Kind.REDELIVERY);
        assertThat(again.earlier().status()).as("refused the first time: never acked applied later").isEqualTo("rejected");
        assertThat(admit(evacuate).earlier().status()).isEqualTo("rejected");
        assertThat(lookups).as("looked up once").hasValue(1);

        Command altered = new Command(evacuate.commandId(), "d", 1, evacuate.tsMs() + 5, new Reason("replay", new TreeMap<>()),
                evacuate.body());
        assertThat(admit(altered).reason()).isEqualTo("replayed");
    }

    @Test
    void aRedeliveryOfAnAppliedCommandIsAckedAppliedAndNotAppliedAgain() {
        assertThat(admit(evacuate).kind()).isEqualTo(CommandGate.Admission.Kind.APPLY);
        gate.settled(evacuate.commandId(), new CommandGate.Outcome("applied", Map.of("weights", "0/100")));
        CommandGate.Admission again = admit(evacuate);
        assertThat(again.kind()).isEqualTo(CommandGate.Admission.Kind.REDELIVERY);
        assertThat(again.earlier().status()).isEqualTo("applied");
    }
}
