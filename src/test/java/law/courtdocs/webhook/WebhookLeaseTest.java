package law.courtdocs.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import law.courtdocs.api.InputFuzzTest;
import law.courtdocs.auth.Caller;
import law.courtdocs.event.EventLog;
import org.junit.jupiter.api.Test;

/**
 * The sender's hold on a subscription, without a sender running (api role): what several worker
 * pods and a pod that dies mid-delivery do, played by claiming with different owner names.
 */
@QuarkusTest
@TestProfile(InputFuzzTest.ApiOnly.class)
class WebhookLeaseTest {

    @Inject
    Webhooks webhooks;

    @Inject
    EventLog events;

    @Inject
    EntityManager em;

    @Test
    void oneSubscriptionIsSentByOneOwnerAtATimeAndADeadOwnersDeliveryIsTakenOverWithTheSameEvent() {
        String tenant = "lease-" + UUID.randomUUID().toString().substring(0, 8);
        UUID hook = webhooks.create(new Caller("admin", tenant, Set.of(), "127.0.0.1"), "http://127.0.0.1:9/h",
                List.of("sms.received"), null).webhook().id;
        for (int i = 1; i <= 2; i++) {
            int n = i;
            QuarkusTransaction.requiringNew().run(() -> events.smsReceived(tenant, null, Map.of("n", n)));
        }

        List<Webhooks.Work> firstClaim = claimAll("pod-a", hook);
        assertEquals(2, firstClaim.size(), "pod a gets both events in one claim");
        assertTrue(firstClaim.get(0).body().contains("\"seq\":1") && firstClaim.get(1).body().contains("\"seq\":2"),
                "in seq order");
        Webhooks.Work first = firstClaim.get(0);
        assertEquals(null, claimOurs("pod-b", hook), "pod b does not get the subscription pod a holds");

        // pod a dies without recording; once its lease ran out pod b sends the same delivery again
        expireLease(hook);
        Webhooks.Work again = claimOurs("pod-b", hook);
        assertNotNull(again);
        assertEquals(first.deliveryId(), again.deliveryId());
        assertEquals(first.eventId(), again.eventId(), "same event, so the same webhook-id for the receiver");
        assertTrue(again.body().contains("\"seq\":1"), again.body());

        // a failure parks the subscription until the backoff is over: the second event does not overtake
        webhooks.record(again, "pod-b", new Webhooks.Outcome(false, 500, "receiver answered HTTP 500"));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update webhook_deliveries set next_attempt_at = now() + interval '1 hour' where id = :id")
                .setParameter("id", again.deliveryId()).executeUpdate());
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update webhooks set next_attempt_at = now() where id = :id").setParameter("id", hook).executeUpdate());
        assertEquals(null, claimOurs("pod-c", hook), "nothing is sent while the first delivery waits for its retry");

        // pod a, back from the dead, records its old attempt: it no longer holds the lease, nothing breaks
        webhooks.record(first, "pod-a", new Webhooks.Outcome(true, 204, null));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update webhooks set next_attempt_at = now() where id = :id").setParameter("id", hook).executeUpdate());
        Webhooks.Work second = claimOurs("pod-c", hook);
        assertNotNull(second);
        assertTrue(second.body().contains("\"seq\":2"), "the next event goes once the first is delivered: " + second.body());
        webhooks.record(second, "pod-c", new Webhooks.Outcome(true, 204, null));
        assertEquals(List.of(DeliveryEntity.Status.DELIVERED, DeliveryEntity.Status.DELIVERED),
                webhooks.deliveries(hook, 10).stream().map(d -> d.status).toList());
        webhooks.delete(tenant, hook, false);
    }

    /** Claims as {@code owner} until nothing is due; the first delivery of {@code hook}'s claim, if one came. */
    private Webhooks.Work claimOurs(String owner, UUID hook) {
        List<Webhooks.Work> ours = claimAll(owner, hook);
        return ours.isEmpty() ? null : ours.get(0);
    }

    /** Claims as {@code owner} until nothing is due; the deliveries of {@code hook}'s claim, if one came. */
    private List<Webhooks.Work> claimAll(String owner, UUID hook) {
        List<List<Webhooks.Work>> ours = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Webhooks.Claim c = webhooks.claim(owner);
            if (!c.anyDue()) {
                break;
            }
            if (!c.work().isEmpty() && c.work().get(0).webhookId().equals(hook)) {
                ours.add(c.work());
            }
        }
        assertTrue(ours.size() <= 1, "one claim at a time per subscription, got " + ours.size());
        return ours.isEmpty() ? List.of() : ours.get(0);
    }

    private void expireLease(UUID hook) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update webhooks set lease_until = now() - interval '1 second' where id = :id")
                .setParameter("id", hook).executeUpdate());
    }
}
