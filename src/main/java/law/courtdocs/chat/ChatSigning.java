package law.courtdocs.chat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The two vendors' robot signatures, as their custom-robot documentation defines them. */
public final class ChatSigning {

    private ChatSigning() {}

    /**
     * Feishu: {@code sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, message = empty))},
     * timestamp in seconds; both go into the JSON body. (The key/message order is the vendor's.)
     */
    public static String feishu(long timestampSeconds, String secret) {
        return hmac((timestampSeconds + "\n" + secret).getBytes(StandardCharsets.UTF_8), new byte[0]);
    }

    /**
     * DingTalk: {@code sign = base64(HMAC-SHA256(key = secret, message = timestamp + "\n" + secret))},
     * timestamp in milliseconds; both go into the query string (the sign URL-encoded).
     */
    public static String dingtalk(long timestampMillis, String secret) {
        return hmac(secret.getBytes(StandardCharsets.UTF_8),
                (timestampMillis + "\n" + secret).getBytes(StandardCharsets.UTF_8));
    }

    private static String hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(message));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
