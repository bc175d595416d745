package io.failoverdrill.schemas.sign;

import com.fasterxml.jackson.databind.JsonNode;
import io.failoverdrill.schemas.CanonicalJson;
import io.failoverdrill.schemas.Codec;
import io.failoverdrill.schemas.ContractViolation;
import io.failoverdrill.schemas.JsonReader;
import io.failoverdrill.schemas.Timestamps;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The public keys a verifier trusts (docs/security.md): a JSON file
 * {@code {"keys":[{"kid":…,"public_key":<base64 X.509 DER>,"state":"active"|"retired","expires":<ts, optional>}]}}.
 * During a rotation two keys are {@code active} (dual accept); a {@code retired} key — or one past its
 * {@code expires} — is known but no longer accepted. Public keys only: nothing in it is secret.
 */
public final class KeySet {
    /** A trusted key. {@code expiresMs}: epoch ms, or {@code Long.MAX_VALUE} when it does not expire. */
    public record Entry(String kid, PublicKey publicKey, String state, long expiresMs) {
        public static final Set<String> STATES = Set.of("active", "retired");

        Map<String, Object> toJson() {
            Map<String, Object> m = new TreeMap<>();
            m.put("kid", kid);
            m.put("public_key", Base64.getEncoder().encodeToString(publicKey.getEncoded()));
            m.put("state", state);
            if (expiresMs != Long.MAX_VALUE) {
                m.put("expires", Timestamps.format(expiresMs));
            }
            return m;
        }
    }

    /** What a verification found; {@link #reason()} is the {@code detail.reason} of a rejection (docs/contracts.md §7). */
    public enum Outcome {
        VALID, UNSIGNED, BAD_SIGNATURE, UNKNOWN_KEY, RETIRED_KEY;

        public String reason() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A verification's outcome, with the key id it named and a sentence for people. */
    public record Check(Outcome outcome, String kid, String detail) {
        public boolean valid() {
            return outcome == Outcome.VALID;
        }
    }

    private final Map<String, Entry> keys;

    public KeySet(List<Entry> entries) {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (m.put(e.kid(), e) != null) {
                throw new IllegalArgumentException("key " + e.kid() + " is listed twice");
            }
        }
        this.keys = m;
    }

    public List<Entry> entries() {
        return List.copyOf(keys.values());
    }

    /** Reads a key set file; an error names the file and the JSON path. */
    public static KeySet load(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("key set " + file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
        }
        try {
            return decode(bytes);
        } catch (ContractViolation v) {
            throw new IllegalArgumentException("key set " + file + ": " + v.path() + ": " + v.rule());
        }
    }

    static KeySet decode(byte[] bytes) {
        JsonNode root = Codec.parse(bytes);
        JsonNode array = root.get("keys");
        if (array == null || !array.isArray()) {
            throw new ContractViolation("$.keys", "must be an array of keys");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            JsonReader r = JsonReader.of(array.get(i), "$.keys[" + i + "]");
            String kid = r.string("kid", 1, 128);
            byte[] der;
            PublicKey key;
            try {
                der = Base64.getDecoder().decode(r.string("public_key", 1, 4096));
                key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            } catch (IllegalArgumentException | GeneralSecurityException e) {
                throw new ContractViolation(r.pathOf("public_key"), "must be base64 of an Ed25519 public key (X.509 DER)");
            }
            if (!SigningKey.kidOf(key).equals(kid)) {
                throw new ContractViolation(r.pathOf("kid"), "must be the key's own id " + SigningKey.kidOf(key));
            }
            String state = r.oneOf("state", Entry.STATES);
            long expires = r.has("expires") ? r.timestamp("expires") : Long.MAX_VALUE;
            entries.add(new Entry(kid, key, state, expires));
        }
        try {
            return new KeySet(entries);
        } catch (IllegalArgumentException e) {
            throw new ContractViolation("$.keys", e.getMessage());
        }
    }

    /** The file's text: canonical JSON, one key per line. */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"keys\":[\n");
        List<Entry> list = entries();
        for (int i = 0; i < list.size(); i++) {
            b.append("  ").append(CanonicalJson.string(list.get(i).toJson())).append(i + 1 < list.size() ? ",\n" : "\n");
        }
        return b.append("]}\n").toString();
    }

    public void save(Path file) throws IOException {
        Path tmp = file.toAbsolutePath().resolveSibling("." + file.getFileName() + ".tmp");
        Files.writeString(tmp, toJson(), StandardCharsets.UTF_8);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /** This set with {@code entry} added (as it is) or, for a known kid, replaced. */
    public KeySet with(Entry entry) {
        Map<String, Entry> m = new LinkedHashMap<>(keys);
        m.put(entry.kid(), entry);
        return new KeySet(List.copyOf(m.values()));
    }

    /** E.g. {@code ed25519-… active, ed25519-… retired}. */
    public String summary() {
        return keys.values().stream().map(e -> e.kid() + " " + e.state()).reduce((a, b) -> a + ", " + b).orElse("no keys");
    }

    public Entry get(String kid) {
        return keys.get(kid);
    }

    /**
     * Verifies the signature headers of a record's {@code value} at wall-clock {@code nowMs} (for {@code expires}):
     * missing headers → {@code unsigned}; a kid not in the set → {@code unknown_key}; a retired or expired key →
     * {@code retired_key}; a signature that does not verify → {@code bad_signature}.
     */
    public Check verify(byte[] value, String kid, String signature, long nowMs) {
        if (kid == null || signature == null) {
            return new Check(Outcome.UNSIGNED, kid, "no " + (kid == null ? SigningKey.KID_HEADER : SigningKey.SIG_HEADER) + " header");
        }
        Entry e = keys.get(kid);
        if (e == null) {
            return new Check(Outcome.UNKNOWN_KEY, kid, "key " + kid + " is not in the key set");
        }
        byte[] sig;
        try {
            sig = Base64.getUrlDecoder().decode(signature);
        } catch (IllegalArgumentException ex) {
            return new Check(Outcome.BAD_SIGNATURE, kid, "the signature is not base64url");
        }
        if (!verifies(e.publicKey(), value, sig)) {
            return new Check(Outcome.BAD_SIGNATURE, kid, "the signature does not verify with key " + kid);
        }
        if (e.state().equals("retired")) {
            return new Check(Outcome.RETIRED_KEY, kid, "key " + kid + " is retired");
        }
        if (nowMs >= e.expiresMs()) {
            return new Check(Outcome.RETIRED_KEY, kid, "key " + kid + " expired at " + Timestamps.format(e.expiresMs()));
        }
        return new Check(Outcome.VALID, kid, "signed by " + kid);
    }

    /** Verifies with the headers as they came on a record (UTF-8 bytes, null when absent). */
    public Check verify(byte[] value, byte[] kidHeader, byte[] sigHeader, long nowMs) {
        return verify(value, kidHeader == null ? null : new String(kidHeader, StandardCharsets.UTF_8),
                sigHeader == null ? null : new String(sigHeader, StandardCharsets.UTF_8), nowMs);
    }

    static boolean verifies(PublicKey key, byte[] value, byte[] sig) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(value);
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
