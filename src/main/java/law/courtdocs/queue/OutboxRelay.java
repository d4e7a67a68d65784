package law.courtdocs.queue;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import law.courtdocs.config.CourtConfig;

/**
 * Moves outbox rows to RabbitMQ. A batch is deleted with its rows locked ({@code FOR UPDATE SKIP
 * LOCKED}, so several pods relay side by side without sending a row twice), published, and the
 * delete commits only after the broker confirmed it: a broker failure rolls the rows back for the
 * next round, and a crash in between re-sends (at least once; the worker ignores a message for a
 * job that is no longer QUEUED).
 *
 * <p>Deleted rather than marked sent: a mark was a lock, a new row version with a new index entry
 * and, a day later, a delete, where the delete is one row version change.
 */
@ApplicationScoped
public class OutboxRelay {

    private final EntityManager em;
    private final BrokerPublisher publisher;
    private final CourtConfig.Outbox settings;
    private final ReentrantLock running = new ReentrantLock();
    private final AtomicBoolean brokerDown = new AtomicBoolean();
    /** A relay pass is queued on the kicker and has not started yet. */
    private final AtomicBoolean kickQueued = new AtomicBoolean();
    private final AtomicLong passes = new AtomicLong();
    private final ExecutorService kicker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "outbox-kick");
        t.setDaemon(true);
        return t;
    });

    public OutboxRelay(EntityManager em, BrokerPublisher publisher, CourtConfig config) {
        this.em = em;
        this.publisher = publisher;
        this.settings = config.outbox();
    }

    /**
     * Called after a submit commits, so a job does not wait for the next poll. Kicks that arrive
     * while a pass is queued ride on it: one queued task per submit let a burst of 1,000
     * submissions/s leave the kicker running empty relay transactions after the burst had ended
     * (bench 2026-12-05-1229: 0.46 cores in outbox-kick 10 s after the last row had been sent).
     */
    public void kick() {
        if (kickQueued.compareAndSet(false, true)) {
            kicker.execute(() -> {
                // cleared before the pass selects: a commit after this point queues the next pass
                kickQueued.set(false);
                running.lock();
                try {
                    relayAll();
                } finally {
                    running.unlock();
                }
            });
        }
    }

    /** Relay passes (poll, kick or shutdown) since start; for tests and diagnostics. */
    public long passes() {
        return passes.get();
    }

    @Scheduled(every = "${court.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void poll() {
        relayPending();
    }

    /**
     * Sends batches until the outbox is empty or the broker fails; returns at once when a pass is
     * running already (the poll). A kick waits for a running pass instead: that pass may have
     * selected before the kicking submit committed.
     */
    public void relayPending() {
        if (!running.tryLock()) {
            return;
        }
        try {
            relayAll();
        } finally {
            running.unlock();
        }
    }

    private void relayAll() {
        passes.incrementAndGet();
        while (relayBatch() == settings.batchSize()) {
            // a full batch: there may be more
        }
    }

    /** @return rows sent, or 0 when the broker failed (they stay for the next round) */
    int relayBatch() {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                // sent_at: rows marked sent by a release before this one (kept a day, see prune)
                @SuppressWarnings("unchecked")
                List<OutboxEntry> batch = em.createNativeQuery("""
                        delete from outbox where id in (
                            select id from outbox where sent_at is null order by id
                            limit :n for update skip locked)
                        returning *""", OutboxEntry.class)
                        .setParameter("n", settings.batchSize())
                        .getResultList();
                if (batch.isEmpty()) {
                    return 0;
                }
                batch.sort(Comparator.comparing(e -> e.id));
                publisher.publish(batch, settings.confirmTimeout().toMillis());
                if (brokerDown.compareAndSet(true, false)) {
                    Log.info("RabbitMQ reachable again; relaying queued jobs");
                }
                return batch.size();
            });
        } catch (Exception e) {
            if (brokerDown.compareAndSet(false, true)) {
                Log.warnf("cannot publish to RabbitMQ, jobs stay in the outbox until it returns: %s", e.toString());
            }
            return 0;
        }
    }

    /**
     * Rows marked sent by a release that marked instead of deleting; once the last of them is a
     * day old this finds nothing, and a later migration can drop the column.
     */
    @Scheduled(every = "1h", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void prune() {
        QuarkusTransaction.requiringNew().run(() -> em
                .createNativeQuery("delete from outbox where sent_at < now() - interval '1 day'")
                .executeUpdate());
    }
}
