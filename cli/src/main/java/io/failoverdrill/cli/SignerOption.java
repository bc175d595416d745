package io.failoverdrill.cli;

import io.failoverdrill.schemas.sign.SigningKey;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** {@code --signing-key FILE}, shared by the commands that write records engines verify (stop, control). */
final class SignerOption {
    @Option(names = "--signing-key", paramLabel = "FILE",
            description = "sign the record with this Ed25519 key (drill keys gen; owner-only file); engines started "
                    + "with --keyset accept only signed stops and, where the plan lists control.signers, control events")
    Path signingKey;

    /** Adds the signature of {@code signed} (and the key id) to {@code record}'s headers, when a key was given. */
    void sign(ProducerRecord<String, byte[]> record, byte[] signed) {
        if (signingKey == null) {
            return;
        }
        SigningKey key = SigningKey.load(signingKey);
        for (Map.Entry<String, String> h : key.headers(signed).entrySet()) {
            record.headers().add(h.getKey(), h.getValue().getBytes(StandardCharsets.UTF_8));
        }
    }
}
