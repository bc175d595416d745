package io.failoverdrill.schemas.sign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ed25519 keys, key files and key sets: every way a signature is refused, and dual accept during a rotation. */
class SigningTest {
    static final byte[] VALUE = "{\"type\":\"set_weights\",\"seq\":4}".getBytes(StandardCharsets.UTF_8);
    static final long NOW = 1_795_946_400_000L;

    @TempDir
    Path dir;

    static KeySet.Entry active(SigningKey k) {
        return new KeySet.Entry(k.kid(), k.publicKey(), "active", Long.MAX_VALUE);
    }

    static KeySet.Check check(KeySet set, byte[] value, Map<String, String> headers) {
        return set.verify(value, headers.get(SigningKey.KID_HEADER), headers.get(SigningKey.SIG_HEADER), NOW);
    }

    @Test
    void aKeyFileIsOwnerOnlyRoundTripsAndNeverShowsItsMaterial() throws Exception {
        SigningKey k = SigningKey.generate();
        Path file = dir.resolve("engine.key");
        k.save(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SigningKey back = SigningKey.load(file);
        assertThat(back.kid()).isEqualTo(k.kid()).startsWith("ed25519-");
        assertThat(new KeySet(List.of(active(k))).verify(VALUE, back.kid(), back.headers(VALUE).get(SigningKey.SIG_HEADER), NOW).valid())
                .isTrue();
        String pem = Files.readString(file);
        String secret = pem.substring(pem.indexOf('\n') + 1, pem.indexOf("-----END PRIVATE KEY-----")).strip();
        assertThat(back.toString()).doesNotContain(secret).contains(k.kid());
    }

    @Test
    void aKeyFileOthersCanReadIsRefusedNamingTheFileAndTheFix() throws Exception {
        Path file = dir.resolve("open.key");
        SigningKey.generate().save(file);
        String pem = Files.readString(file);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SigningKey.load(file)).hasMessage("signing key " + file
                + ": must be readable by its owner only (mode rw-r--r--); chmod 600 " + file)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(pem.substring(30, 60)));
    }

    @Test
    void aKeyFileWithoutItsPublicBlockOrWithAnotherKeysIsRefused() throws Exception {
        Path a = dir.resolve("a.key");
        Path b = dir.resolve("b.key");
        SigningKey.generate().save(a);
        SigningKey.generate().save(b);
        String aText = Files.readString(a);
        String bText = Files.readString(b);
        Path onlyPrivate = dir.resolve("only.key");
        Files.writeString(onlyPrivate, aText.substring(0, aText.indexOf("-----BEGIN PUBLIC KEY-----")));
        Files.setPosixFilePermissions(onlyPrivate, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SigningKey.load(onlyPrivate)).hasMessageContaining("needs a PRIVATE KEY and a PUBLIC KEY");
        Path mixed = dir.resolve("mixed.key");
        Files.writeString(mixed, aText.substring(0, aText.indexOf("-----BEGIN PUBLIC KEY-----"))
                + bText.substring(bText.indexOf("-----BEGIN PUBLIC KEY-----")));
        Files.setPosixFilePermissions(mixed, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> SigningKey.load(mixed)).hasMessageContaining("does not belong to the PRIVATE KEY");
    }

    @Test
    void unsignedForgedWrongKeyRetiredAndExpiredAreEachRefusedWithTheirReason() {
        SigningKey engine = SigningKey.generate();
        SigningKey stranger = SigningKey.generate();
        SigningKey old = SigningKey.generate();
        KeySet set = new KeySet(List.of(active(engine), new KeySet.Entry(old.kid(), old.publicKey(), "retired", Long.MAX_VALUE)));

        assertThat(check(set, VALUE, engine.headers(VALUE)).outcome()).isEqualTo(KeySet.Outcome.VALID);
        assertThat(set.verify(VALUE, (String) null, null, NOW).outcome().reason()).isEqualTo("unsigned");
        assertThat(check(set, VALUE, stranger.headers(VALUE)).outcome().reason()).isEqualTo("unknown_key");
        // a stranger's signature under the engine's kid: forged
        Map<String, String> forged = Map.of(SigningKey.KID_HEADER, engine.kid(),
                SigningKey.SIG_HEADER, stranger.headers(VALUE).get(SigningKey.SIG_HEADER));
        assertThat(check(set, VALUE, forged).outcome().reason()).isEqualTo("bad_signature");
        // the engine's signature over other bytes: tampered
        byte[] tampered = "{\"type\":\"set_weights\",\"seq\":5}".getBytes(StandardCharsets.UTF_8);
        assertThat(check(set, tampered, engine.headers(VALUE)).outcome().reason()).isEqualTo("bad_signature");
        assertThat(set.verify(VALUE, engine.kid(), "***", NOW).outcome().reason()).isEqualTo("bad_signature");
        assertThat(check(set, VALUE, old.headers(VALUE)).outcome().reason()).isEqualTo("retired_key");
        KeySet expiring = new KeySet(List.of(new KeySet.Entry(engine.kid(), engine.publicKey(), "active", NOW)));
        KeySet.Check expired = check(expiring, VALUE, engine.headers(VALUE));
        assertThat(expired.outcome().reason()).isEqualTo("retired_key");
        assertThat(expired.detail()).contains("expired at");
        assertThat(expiring.verify(VALUE, engine.kid(), engine.headers(VALUE).get(SigningKey.SIG_HEADER), NOW - 1).valid()).isTrue();
    }

    @Test
    void duringARotationBothKeysVerifyAndOnceTheOldIsRetiredOnlyTheNewDoes() throws Exception {
        SigningKey k1 = SigningKey.generate();
        SigningKey k2 = SigningKey.generate();
        Path file = dir.resolve("keys.json");
        new KeySet(List.of(active(k1))).with(active(k2)).save(file);
        KeySet both = KeySet.load(file);
        assertThat(check(both, VALUE, k1.headers(VALUE)).valid()).isTrue();
        assertThat(check(both, VALUE, k2.headers(VALUE)).valid()).isTrue();
        both.with(new KeySet.Entry(k1.kid(), k1.publicKey(), "retired", Long.MAX_VALUE)).save(file);
        KeySet after = KeySet.load(file);
        assertThat(check(after, VALUE, k1.headers(VALUE)).outcome()).isEqualTo(KeySet.Outcome.RETIRED_KEY);
        assertThat(check(after, VALUE, k2.headers(VALUE)).valid()).isTrue();
    }

    @Test
    void aKeySetWithAWrongKidOrABadKeyNamesTheFileAndThePath() throws Exception {
        SigningKey k = SigningKey.generate();
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"keys\":[{\"kid\":\"ed25519-0000000000000000\",\"public_key\":\""
                + Base64.getEncoder().encodeToString(k.publicKey().getEncoded()) + "\",\"state\":\"active\"}]}");
        assertThatThrownBy(() -> KeySet.load(file)).hasMessage("key set " + file + ": $.keys[0].kid: must be the key's own id " + k.kid());
        Files.writeString(file, "{\"keys\":[{\"kid\":\"x\",\"public_key\":\"AAAA\",\"state\":\"active\"}]}");
        assertThatThrownBy(() -> KeySet.load(file)).hasMessageContaining("$.keys[0].public_key: must be base64 of an Ed25519 public key");
        Files.writeString(file, "{\"keys\":[{\"kid\":\"" + k.kid() + "\",\"public_key\":\""
                + Base64.getEncoder().encodeToString(k.publicKey().getEncoded()) + "\",\"state\":\"paused\"}]}");
        assertThatThrownBy(() -> KeySet.load(file)).hasMessageContaining("$.keys[0].state");
    }
}
