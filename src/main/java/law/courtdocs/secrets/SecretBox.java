package law.courtdocs.secrets;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals small secrets (portal credentials, a parked portal session's cookies) for storage in the
 * database: AES-256-GCM with a random 96-bit nonce per value. The sealed form is
 * {@code version(1) | nonce(12) | ciphertext+tag}. The associated data binds a sealed value to
 * what it belongs to (e.g. the job id), so a value copied onto another row does not open.
 *
 * <p>Plain class, thread-safe: {@link Cipher} instances are made per call.
 */
public final class SecretBox {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    /** Derived from the key, so a fingerprint never equals anything made with the AES key itself. */
    private final SecretKeySpec macKey;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("court.secrets.key must be 32 bytes (base64 of 32 random bytes), got "
                    + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
        this.macKey = new SecretKeySpec(hmac(new SecretKeySpec(key, "HmacSHA256"),
                "court-docs fingerprint v1".getBytes(java.nio.charset.StandardCharsets.UTF_8)), "HmacSHA256");
    }

    /**
     * A keyed hash (HMAC-SHA256, lower-case hex) of {@code data}: compares two secret values, e.g.
     * for an Idempotency-Key, without storing anything that a dictionary of phone numbers or
     * 6-digit codes could reverse.
     */
    public String fingerprint(byte[] data) {
        return java.util.HexFormat.of().formatHex(hmac(macKey, data));
    }

    private static byte[] hmac(SecretKeySpec key, byte[] data) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }

    /** From the base64 text of a 32-byte key, as in {@code court.secrets.key}. */
    public static SecretBox fromBase64(String base64Key) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64Key.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("court.secrets.key is not base64");
        }
        try {
            return new SecretBox(raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** @throws SecretBoxException when the value was not sealed with this key for this associated data */
    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new SecretBoxException("not a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SecretBoxException("sealed value does not open with this key (wrong key or tampered)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    /** A sealed value that does not open: wrong key, wrong owner, or tampered bytes. */
    public static final class SecretBoxException extends RuntimeException {
        public SecretBoxException(String message) {
            super(message);
        }
    }
}
