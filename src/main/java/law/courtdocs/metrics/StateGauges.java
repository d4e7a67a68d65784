package law.courtdocs.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.job.JobStatus;
import law.courtdocs.queue.BrokerPublisher;
import law.courtdocs.worker.WorkerLifecycle;

/**
 * Gauges of the cluster's state, read from PostgreSQL and RabbitMQ every
 * {@code court.metrics.refresh-interval} by api-role pods only (every api pod reports the same
 * values; alert rules take {@code max}), and of this worker process's slots.
 * {@code court_jobs{status}}, {@code court_queue_messages}, {@code court_queue_oldest_age_seconds},
 * {@code court_outbox_backlog}, {@code court_webhook_pending}, {@code court_webhook_lag_events},
 * {@code court_worker_slots}, {@code court_worker_slots_busy}.
 */
@Startup
@ApplicationScoped
public class StateGauges {

    private final EntityManager em;
    private final BrokerPublisher broker;
    private final boolean perTenant;
    private final boolean servesApi;
    private final MultiGauge jobs;
    private final AtomicLong queueMessages = new AtomicLong(-1);
    private final AtomicLong oldestQueuedSeconds = new AtomicLong();
    private final AtomicLong outboxBacklog = new AtomicLong();
    private final AtomicLong webhookPending = new AtomicLong();
    private final AtomicLong webhookLag = new AtomicLong();

    public StateGauges(MeterRegistry registry, EntityManager em, BrokerPublisher broker, WorkerLifecycle worker,
            CourtConfig config) {
        this.em = em;
        this.broker = broker;
        this.perTenant = config.metrics().perTenant();
        this.servesApi = config.role().servesApi();
        this.jobs = MultiGauge.builder("court.jobs").description("Jobs by status (all time)").register(registry);
        if (servesApi) {
            Gauge.builder("court.queue.messages", queueMessages, AtomicLong::get)
                    .description("Messages ready in the jobs queue (-1: the broker could not be asked)")
                    .tag("queue", config.queue().jobs()).register(registry);
            Gauge.builder("court.queue.oldest.age", oldestQueuedSeconds, AtomicLong::get).baseUnit("seconds")
                    .description("How long the oldest QUEUED job has waited for a worker").register(registry);
            Gauge.builder("court.outbox.backlog", outboxBacklog, AtomicLong::get)
                    .description("Job messages committed but not yet handed to RabbitMQ").register(registry);
            Gauge.builder("court.webhook.pending", webhookPending, AtomicLong::get)
                    .description("Webhook and chat deliveries not yet delivered (PENDING)").register(registry);
            Gauge.builder("court.webhook.lag.events", webhookLag, AtomicLong::get)
                    .description("Most events a subscription is behind its tenant's newest (any type)")
                    .register(registry);
        }
        if (config.role().runsJobs()) {
            int slots = config.worker().slots();
            Gauge.builder("court.worker.slots", () -> slots).description("Job slots of this worker process")
                    .register(registry);
            Gauge.builder("court.worker.slots.busy", worker, WorkerLifecycle::runningJobs)
                    .description("Slots of this worker process running a job (each holds a browser when its portal needs one)")
                    .register(registry);
        }
    }

    @Scheduled(every = "${court.metrics.refresh-interval:30s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refresh() {
        if (!servesApi) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(this::readDatabase);
        } catch (RuntimeException e) {
            Log.warnf("metrics: cannot read the job counts (%s)", e.getClass().getSimpleName());
        }
        try {
            queueMessages.set(broker.jobsQueueDepth());
        } catch (Exception e) {
            queueMessages.set(-1);
        }
    }

    private void readDatabase() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery(perTenant
                ? "select status, tenant, count(*) from jobs group by status, tenant"
                : "select status, '' as tenant, count(*) from jobs group by status").getResultList();
        List<MultiGauge.Row<?>> gaugeRows = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Object[] r : rows) {
            String status = (String) r[0];
            long count = ((Number) r[2]).longValue();
            Tags tags = perTenant ? Tags.of("status", status, "tenant", (String) r[1]) : Tags.of("status", status);
            gaugeRows.add(MultiGauge.Row.of(tags, count));
            seen.add(status);
        }
        if (!perTenant) {
            // every status is a series, zero included, so rate() and alerts see it from the start
            for (JobStatus s : JobStatus.values()) {
                if (!seen.contains(s.name())) {
                    gaugeRows.add(MultiGauge.Row.of(Tags.of("status", s.name()), 0));
                }
            }
        }
        jobs.register(gaugeRows, true);
        Object oldest = em.createNativeQuery(
                "select min(coalesce(next_attempt_at, created_at)) from jobs where status = 'QUEUED'").getSingleResult();
        Instant since = instant(oldest);
        oldestQueuedSeconds.set(since == null ? 0 : Math.max(0, Instant.now().getEpochSecond() - since.getEpochSecond()));
        outboxBacklog.set(((Number) em.createNativeQuery("select count(*) from outbox").getSingleResult()).longValue());
        webhookPending.set(((Number) em.createNativeQuery(
                "select count(*) from webhook_deliveries where status = 'PENDING'").getSingleResult()).longValue());
        webhookLag.set(((Number) em.createNativeQuery("""
                select coalesce(max(c.last_seq - w.cursor_seq), 0) from webhooks w
                join event_counters c on c.tenant = w.tenant""").getSingleResult()).longValue());
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant i) {
            return i;
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        if (value instanceof Timestamp t) {
            return t.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
