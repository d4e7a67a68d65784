package law.courtdocs.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

    @Test
    void sealedValueOpensForTheSameOwnerOnly() {
        SecretBox box = SecretBox.fromBase64(KEY);
        byte[] secret = "{\"phones\":[\"13800138000\"],\"password\":\"默认密码\"}".getBytes(StandardCharsets.UTF_8);

        byte[] sealed = box.seal(secret, "job-1");

        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("13800138000"));
        assertArrayEquals(secret, box.open(sealed, "job-1"));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, "job-2"));
        assertThrows(SecretBox.SecretBoxException.class, () -> SecretBox.fromBase64(OTHER_KEY).open(sealed, "job-1"));
    }

    @Test
    void fingerprintIsStablePerKeyAndNotAPlainHash() throws Exception {
        SecretBox box = SecretBox.fromBase64(KEY);
        byte[] phone = "13800138000".getBytes(StandardCharsets.UTF_8);
        String fp = box.fingerprint(phone);
        org.junit.jupiter.api.Assertions.assertEquals(fp, SecretBox.fromBase64(KEY).fingerprint(phone));
        org.junit.jupiter.api.Assertions.assertNotEquals(fp, SecretBox.fromBase64(OTHER_KEY).fingerprint(phone));
        org.junit.jupiter.api.Assertions.assertNotEquals(fp, box.fingerprint("13800138001".getBytes(StandardCharsets.UTF_8)));
        String plain = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(phone));
        org.junit.jupiter.api.Assertions.assertNotEquals(plain, fp, "a dictionary of phones must not reverse it");
        org.junit.jupiter.api.Assertions.assertEquals(64, fp.length());
    }

    @Test
    void tamperedOrTruncatedValuesDoNotOpen() {
        SecretBox box = SecretBox.fromBase64(KEY);
        byte[] sealed = box.seal("x".getBytes(StandardCharsets.UTF_8), "a");
        sealed[sealed.length - 1] ^= 1;
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(sealed, "a"));
        assertThrows(SecretBox.SecretBoxException.class, () -> box.open(new byte[5], "a"));
    }

    @Test
    void sameValueSealsDifferentlyEachTime() {
        SecretBox box = SecretBox.fromBase64(KEY);
        byte[] a = box.seal("same".getBytes(StandardCharsets.UTF_8), "j");
        byte[] b = box.seal("same".getBytes(StandardCharsets.UTF_8), "j");
        assertFalse(java.util.Arrays.equals(a, b));
    }

    @Test
    void keyMustBe32Base64Bytes() {
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64("c2hvcnQ="));
        assertThrows(IllegalArgumentException.class, () -> SecretBox.fromBase64("not base64!"));
    }
}
