package law.courtdocs.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import law.courtdocs.auth.Caller;
import law.courtdocs.chat.ChatKind;
import law.courtdocs.chat.ChatTarget;
import law.courtdocs.chat.ChatText;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.event.EventEntity;
import law.courtdocs.event.EventLog;
import law.courtdocs.event.EventType;
import law.courtdocs.event.EventView;
import law.courtdocs.secrets.JobSecrets;
import law.courtdocs.storage.DocumentEntity;

/**
 * Webhook subscriptions and their deliveries, in PostgreSQL so that every pod can send and a
 * restart loses nothing. The sender side works in three short transactions per delivery —
 * {@link #claim}, the HTTP call outside any transaction, {@link #record} — holding the
 * subscription by a lease, so no connection is held while a receiver is slow.
 */
@ApplicationScoped
public class Webhooks {

    /**
     * What one HTTP call needs, taken out of the database. For a webhook, {@code body} is the
     * event's JSON and {@code secret} its signing secret; for a chat channel ({@code kind} a
     * {@link ChatKind} wire name), {@code body} is the message text and {@code secret} the opened
     * {@link ChatTarget} JSON.
     */
    public record Work(UUID webhookId, UUID deliveryId, UUID eventId, String kind, String url, String secret,
            String body) {
        @Override
        public String toString() {
            return "Work[webhook=" + webhookId + ", delivery=" + deliveryId + "]";
        }
    }

    /** What the receiver answered: {@code httpStatus} null when none came (refused, timed out). */
    public record Outcome(boolean delivered, Integer httpStatus, String error) {}

    public record Created(WebhookEntity webhook, String secret) {}

    /**
     * What {@link #claim} found: {@code anyDue} false when no subscription was due (the sender's
     * round ends), {@code work} empty when the due one has nothing to send right now, else its
     * deliveries in {@code seq} order.
     */
    public record Claim(boolean anyDue, List<Work> work) {
        static final Claim NONE_DUE = new Claim(false, List.of());
        static final Claim IDLE = new Claim(true, List.of());
    }

    private final EntityManager em;
    private final JobSecrets secrets;
    private final EventLog events;
    private final ObjectMapper json;
    private final CourtConfig.Webhooks settings;
    private final CourtConfig.Notifications notifications;
    private final Clock clock;

    public Webhooks(EntityManager em, JobSecrets secrets, EventLog events, ObjectMapper json, CourtConfig config) {
        this.em = em;
        this.secrets = secrets;
        this.events = events;
        this.json = json;
        this.settings = config.webhooks();
        this.notifications = config.notifications();
        this.clock = Clock.systemUTC();
    }

    public boolean canSeal() {
        return secrets.available();
    }

    /** A new subscription; it gets the events after the tenant's latest, none from before it existed. */
    @Transactional
    public Created create(Caller who, String url, List<String> types, String description) {
        WebhookEntity w = new WebhookEntity();
        w.id = UUID.randomUUID();
        w.tenant = who.tenant();
        w.url = url;
        w.eventTypes = String.join(",", types);
        w.description = description;
        String secret = WebhookSigner.newSecret();
        w.secret = secrets.sealFor(secret.getBytes(StandardCharsets.UTF_8), owner(w.id));
        w.createdAt = clock.instant();
        w.createdBy = who.subject();
        w.cursorSeq = events.latestSeq(who.tenant());
        w.nextAttemptAt = w.createdAt;
        em.persist(w);
        return new Created(w, secret);
    }

    /**
     * A chat-group channel: like {@link #create}, but what reaches the robot is sealed whole
     * (the robot's URL holds its token) and the row shows only {@code display}.
     */
    @Transactional
    public WebhookEntity createChannel(Caller who, ChatKind kind, ChatTarget target, String display, List<String> types,
            String caseRef, String description) {
        WebhookEntity w = new WebhookEntity();
        w.id = UUID.randomUUID();
        w.tenant = who.tenant();
        w.kind = kind.wire();
        w.url = display;
        w.eventTypes = String.join(",", types);
        w.caseRef = caseRef;
        w.description = description;
        try {
            w.secret = secrets.sealFor(json.writeValueAsBytes(target), owner(w.id));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a chat target cannot be written as JSON", e);
        }
        w.createdAt = clock.instant();
        w.createdBy = who.subject();
        w.cursorSeq = events.latestSeq(who.tenant());
        w.nextAttemptAt = w.createdAt;
        em.persist(w);
        return w;
    }

    /** The tenant's webhooks ({@code channels} false) or chat channels (true), oldest first. */
    @Transactional
    public List<WebhookEntity> list(String tenant, boolean channels) {
        String kind = channels ? "w.kind <> :webhook" : "w.kind = :webhook";
        return em.createQuery("from WebhookEntity w where w.tenant = :t and " + kind + " order by w.createdAt",
                        WebhookEntity.class)
                .setParameter("t", tenant).setParameter("webhook", WebhookEntity.WEBHOOK).getResultList();
    }

    /** A webhook's id asked for as a channel (or the other way round) is not found. */
    @Transactional
    public Optional<WebhookEntity> find(String tenant, UUID id, boolean channel) {
        WebhookEntity w = em.find(WebhookEntity.class, id);
        return w != null && w.tenant.equals(tenant) && w.isWebhook() != channel ? Optional.of(w) : Optional.empty();
    }

    /** Deliveries cascade; a delivery in flight finds its row gone and is dropped. */
    @Transactional
    public boolean delete(String tenant, UUID id, boolean channel) {
        Optional<WebhookEntity> w = find(tenant, id, channel);
        w.ifPresent(em::remove);
        return w.isPresent();
    }

    /** Newest first. */
    @Transactional
    public List<DeliveryEntity> deliveries(UUID webhookId, int limit) {
        return em.createQuery("from DeliveryEntity d where d.webhookId = :w order by d.seq desc", DeliveryEntity.class)
                .setParameter("w", webhookId).setMaxResults(limit).getResultList();
    }

    /**
     * Sends a delivery again, now, with the same webhook-id (receivers dedupe by it). It goes
     * before the subscription's later pending events; a FAILED one gets a fresh give-up window.
     */
    @Transactional
    public Optional<DeliveryEntity> redeliver(String tenant, UUID webhookId, UUID deliveryId, boolean channel) {
        if (find(tenant, webhookId, channel).isEmpty()) {
            return Optional.empty();
        }
        DeliveryEntity d = em.find(DeliveryEntity.class, deliveryId);
        if (d == null || !d.webhookId.equals(webhookId)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        d.status = DeliveryEntity.Status.PENDING;
        d.firstAttemptAt = null;
        d.nextAttemptAt = now;
        d.deliveredAt = null;
        em.createQuery("update WebhookEntity w set w.nextAttemptAt = :now where w.id = :id")
                .setParameter("now", now).setParameter("id", webhookId).executeUpdate();
        return Optional.of(d);
    }

    /**
     * Leases one subscription that is due and hands out what it must send next, in {@code seq}
     * order: its pending deliveries (a redelivery, or what a sender that died left), else new
     * deliveries for its next matching events, at most {@link #batch} of them. The sender sends
     * them one after the other and stops at the first failure, so none overtakes another. Empty
     * when no subscription is due; a due one with nothing to send is looked at again after the
     * poll interval.
     */
    @Transactional
    public Claim claim(String owner) {
        Instant now = clock.instant();
        @SuppressWarnings("unchecked")
        List<UUID> due = em.createNativeQuery("""
                select id from webhooks where next_attempt_at <= :now and (lease_until is null or lease_until < :now)
                order by next_attempt_at limit 1 for update skip locked""", UUID.class)
                .setParameter("now", now).getResultList();
        if (due.isEmpty()) {
            return Claim.NONE_DUE;
        }
        WebhookEntity w = em.find(WebhookEntity.class, due.get(0));
        int batch = batch(w);
        List<DeliveryEntity> pending = em.createQuery("""
                from DeliveryEntity d where d.webhookId = :w and d.status = :pending order by d.seq""",
                DeliveryEntity.class)
                .setParameter("w", w.id).setParameter("pending", DeliveryEntity.Status.PENDING)
                .setMaxResults(batch).getResultList();
        List<Work> work = new ArrayList<>();
        String secret = null;
        if (!pending.isEmpty()) {
            DeliveryEntity oldest = pending.get(0);
            if (oldest.nextAttemptAt != null && oldest.nextAttemptAt.isAfter(now)) {
                w.nextAttemptAt = oldest.nextAttemptAt;
                return Claim.IDLE;
            }
            for (DeliveryEntity d : pending) {
                EventEntity event = em.find(EventEntity.class, d.eventId);
                if (event == null) {
                    // purged by court.events.retention while the receiver was failing
                    d.status = DeliveryEntity.Status.FAILED;
                    d.lastError = "the event was purged (court.events.retention) before it could be delivered";
                    d.nextAttemptAt = null;
                    continue;
                }
                secret = secret != null ? secret : open(w);
                work.add(work(w, d, event, secret));
            }
        } else {
            List<EventEntity> next = em.createQuery("""
                    from EventEntity e where e.tenant = :t and e.seq > :after and e.type in :types
                    and (:caseRef is null or e.caseRef = :caseRef) order by e.seq""",
                    EventEntity.class)
                    .setParameter("t", w.tenant).setParameter("after", w.cursorSeq)
                    .setParameter("types", w.types()).setParameter("caseRef", w.caseRef)
                    .setMaxResults(batch).getResultList();
            for (EventEntity event : next) {
                DeliveryEntity d = new DeliveryEntity();
                d.id = UUID.randomUUID();
                d.webhookId = w.id;
                d.eventId = event.id;
                d.seq = event.seq;
                d.type = event.type;
                d.status = DeliveryEntity.Status.PENDING;
                d.createdAt = now;
                d.nextAttemptAt = now;
                em.persist(d);
                w.cursorSeq = event.seq;
                secret = secret != null ? secret : open(w);
                work.add(work(w, d, event, secret));
            }
        }
        if (work.isEmpty()) {
            w.nextAttemptAt = now.plus(settings.pollInterval());
            return Claim.IDLE;
        }
        w.leaseUntil = now.plus(settings.lease());
        w.leaseOwner = owner;
        return new Claim(true, List.copyOf(work));
    }

    /**
     * Deliveries handed out at once: a receiver of the firm's takes a run of events; a chat
     * robot is rate-limited by its vendor (DingTalk 20 a minute), so it gets a few at a time.
     */
    static int batch(WebhookEntity w) {
        return w.isWebhook() ? 50 : 5;
    }

    private String open(WebhookEntity w) {
        return new String(secrets.openFor(w.secret, owner(w.id)), StandardCharsets.UTF_8);
    }

    private Work work(WebhookEntity w, DeliveryEntity d, EventEntity event, String secret) {
        String body = w.isWebhook() ? body(event) : chatText(event);
        return new Work(w.id, d.id, event.id, w.kind, w.url, secret, body);
    }

    /** One delivery the sender tried, and what the receiver answered. */
    public record Sent(Work work, Outcome outcome) {}

    /** One receiver's answer; see {@link #record(List, String)}. */
    public void record(Work work, String owner, Outcome outcome) {
        record(List.of(new Sent(work, outcome)), owner);
    }

    /**
     * What the receiver answered to the deliveries of one claim that were tried, in order (a
     * failure, if any, last): each is delivered, or tried again after the backoff, or given up.
     * Deliveries of the claim not tried stay pending. Releases the lease.
     */
    @Transactional
    public void record(List<Sent> sent, String owner) {
        if (sent.isEmpty()) {
            return;
        }
        WebhookEntity w = em.find(WebhookEntity.class, sent.get(0).work().webhookId());
        if (w == null) {
            return; // the subscription was deleted meanwhile
        }
        Instant now = clock.instant();
        Instant nextForSubscription = now;
        for (Sent s : sent) {
            DeliveryEntity d = em.find(DeliveryEntity.class, s.work().deliveryId());
            if (d == null) {
                continue;
            }
            Outcome outcome = s.outcome();
            d.attempts++;
            d.lastAttemptAt = now;
            if (d.firstAttemptAt == null) {
                d.firstAttemptAt = now;
            }
            d.lastHttpStatus = outcome.httpStatus();
            d.lastError = outcome.error() == null ? null : cut(outcome.error(), 500);
            if (outcome.delivered()) {
                d.status = DeliveryEntity.Status.DELIVERED;
                d.deliveredAt = now;
                d.nextAttemptAt = null;
            } else if (!Duration.between(d.firstAttemptAt, now).minus(settings.giveUpAfter()).isNegative()) {
                d.status = DeliveryEntity.Status.FAILED;
                d.nextAttemptAt = null;
            } else {
                d.nextAttemptAt = now.plus(backoff(d.attempts, settings.initialBackoff(), settings.maxBackoff()));
                nextForSubscription = d.nextAttemptAt;
            }
        }
        if (owner.equals(w.leaseOwner)) {
            w.leaseUntil = null;
            w.leaseOwner = null;
        }
        w.nextAttemptAt = nextForSubscription;
    }

    /** The wait after the {@code attempts}-th failure: initial, doubled each time, at most max. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        Duration d = initial;
        for (int i = 1; i < attempts && d.compareTo(max) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(max) > 0 ? max : d;
    }

    private String body(EventEntity event) {
        try {
            return json.writeValueAsString(EventView.of(event));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id + " cannot be written as JSON", e);
        }
    }

    /** The message a chat group reads; {@code job.succeeded} lists the job's documents. */
    private String chatText(EventEntity event) {
        List<ChatText.Doc> docs = List.of();
        if (event.jobId != null && event.type.equals(EventType.JOB_SUCCEEDED.wire())) {
            docs = em.createQuery("from DocumentEntity d where d.jobId = :job order by d.createdAt, d.id",
                            DocumentEntity.class)
                    .setParameter("job", event.jobId).getResultStream()
                    .map(d -> new ChatText.Doc(d.id, d.title, d.fileName, d.court, d.caseNumber)).toList();
        }
        Map<String, Object> data;
        try {
            data = json.readValue(event.data, new TypeReference<Map<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.id + " holds data that is not JSON", e);
        }
        return ChatText.render(new ChatText.Event(event.type, event.caseRef, event.jobId, data), docs,
                notifications.publicBaseUrl());
    }

    static String owner(UUID webhookId) {
        return "webhook:" + webhookId;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
