package law.courtdocs.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    /** The example in the Standard Webhooks specification (and Svix's libraries' tests). */
    @Test
    void signsTheSpecificationsExample() {
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
                WebhookSigner.sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330L, "{\"test\": 2432232314}"));
    }

    @Test
    void aNewSecretIsWhsecAnd32RandomBytesAndChangesTheSignature() {
        String a = WebhookSigner.newSecret();
        String b = WebhookSigner.newSecret();
        assertTrue(a.startsWith("whsec_"));
        assertEquals(32, Base64.getDecoder().decode(a.substring(6)).length);
        assertNotEquals(a, b);
        assertNotEquals(WebhookSigner.sign(a, "id", 1, "{}"), WebhookSigner.sign(b, "id", 1, "{}"));
        assertNotEquals(WebhookSigner.sign(a, "id", 1, "{}"), WebhookSigner.sign(a, "id", 2, "{}"),
                "the timestamp is signed, so an old delivery cannot be replayed with a new one");
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(5);
        Duration max = Duration.ofHours(1);
        assertEquals(Duration.ofSeconds(5), Webhooks.backoff(1, initial, max));
        assertEquals(Duration.ofSeconds(10), Webhooks.backoff(2, initial, max));
        assertEquals(Duration.ofSeconds(40), Webhooks.backoff(4, initial, max));
        assertEquals(Duration.ofMinutes(42).plusSeconds(40), Webhooks.backoff(10, initial, max));
        assertEquals(max, Webhooks.backoff(11, initial, max));
        assertEquals(max, Webhooks.backoff(10_000, initial, max), "no overflow after a day of failures");
    }
}
