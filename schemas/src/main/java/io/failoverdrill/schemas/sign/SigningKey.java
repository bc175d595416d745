package io.failoverdrill.schemas.sign;

import io.failoverdrill.schemas.Sha256;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Map;

/**
 * An Ed25519 signing key (the JDK's own {@code java.security}) and its key id. The key file is PEM: a
 * {@code PRIVATE KEY} block (PKCS#8, as {@code openssl genpkey -algorithm ed25519} writes it) followed by the
 * {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo) the key id is derived from. It must be readable by its owner
 * only; its contents never appear in any message.
 */
public final class SigningKey {
    /** Record header carrying the signature (base64url, no padding) over the record's value bytes. */
    public static final String SIG_HEADER = "drill-sig";
    /** Record header carrying the signing key's id. */
    public static final String KID_HEADER = "drill-kid";
    /**
     * On a stop topic tombstone: the {@code event_id} of the stop it lifts. The tombstone's signature is over
     * {@link #clearingBytes} — so an old clearing, replayed, cannot lift a newer stop.
     */
    public static final String CLEARS_HEADER = "drill-clears";

    /** What a stop's clearing signs: {@code clear <scope> <event_id of the stop>}, UTF-8. */
    public static byte[] clearingBytes(String scope, String stopEventId) {
        return ("clear " + scope + " " + stopEventId).getBytes(StandardCharsets.UTF_8);
    }

    private final String kid;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SigningKey(PrivateKey privateKey, PublicKey publicKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.kid = kidOf(publicKey);
    }

    /** A new key pair. */
    public static SigningKey generate() {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new SigningKey(pair.getPrivate(), pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
    }

    /** The key id: {@code ed25519-} and the first 16 hex digits of SHA-256 over the public key's DER. */
    public static String kidOf(PublicKey publicKey) {
        return "ed25519-" + Sha256.hex(publicKey.getEncoded()).substring(0, 16);
    }

    /**
     * Reads a key file; refuses one that others may read (a private key shared with the group is no longer private)
     * or that does not hold both blocks. Messages name the file, never its contents.
     */
    public static SigningKey load(Path file) {
        String text = new String(SecretFiles.readOwnerOnly(file, "signing key"), StandardCharsets.US_ASCII);
        byte[] pkcs8 = Pem.decode(text, "PRIVATE KEY");
        byte[] spki = Pem.decode(text, "PUBLIC KEY");
        if (pkcs8 == null || spki == null) {
            throw new IllegalArgumentException("signing key " + file + ": needs a PRIVATE KEY and a PUBLIC KEY PEM block "
                    + "(make one with 'drill keys gen')");
        }
        try {
            KeyFactory f = KeyFactory.getInstance("Ed25519");
            SigningKey key = new SigningKey(f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    f.generatePublic(new X509EncodedKeySpec(spki)));
            if (!KeySet.verifies(key.publicKey, "probe".getBytes(StandardCharsets.US_ASCII), key.sign("probe".getBytes(StandardCharsets.US_ASCII)))) {
                throw new IllegalArgumentException("signing key " + file + ": the PUBLIC KEY block does not belong to the PRIVATE KEY");
            }
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("signing key " + file + ": not an Ed25519 key");
        }
    }

    /** Writes the key file with owner-only permissions (created so: never readable by others, even briefly). */
    public void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve("." + file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, Pem.encode("PRIVATE KEY", privateKey.getEncoded()) + Pem.encode("PUBLIC KEY", publicKey.getEncoded()),
                StandardCharsets.US_ASCII);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public String kid() {
        return kid;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** The public key as a key set lists it: base64 of its X.509 DER. */
    public String publicKeyBase64() {
        return Base64.getEncoder().encodeToString(publicKey.getEncoded());
    }

    /** The Ed25519 signature over {@code value}. */
    public byte[] sign(byte[] value) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(value);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing failed", e);
        }
    }

    /** The record headers that sign {@code value}: {@link #SIG_HEADER} and {@link #KID_HEADER}. */
    public Map<String, String> headers(byte[] value) {
        return Map.of(SIG_HEADER, Base64.getUrlEncoder().withoutPadding().encodeToString(sign(value)), KID_HEADER, kid);
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + "]"; // never the key material
    }
}
