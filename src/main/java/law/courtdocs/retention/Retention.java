package law.courtdocs.retention;

import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Instant;
import law.courtdocs.config.CourtConfig;

/**
 * Purges what has been kept long enough ({@code court.retention.*}): documents with their bytes
 * (never one under legal hold), failed attempts' screenshots and HTML, SMS texts. Any pod may run
 * a pass; a PostgreSQL advisory lock taken by each batch's transaction lets one pod at a time
 * work, and batches are small so no pass holds long locks on a busy table.
 */
@ApplicationScoped
public class Retention {

    /** Key of the advisory lock: any number no other part of the service uses. */
    static final long LOCK = 0x636f7572745f7270L; // "court_rp"
    static final int BATCH = 200;

    /** What one pass removed. */
    public record Purged(int documents, int evidence, int smsTexts) {}

    private final EntityManager em;
    private final CourtConfig.Retention settings;

    public Retention(EntityManager em, CourtConfig config) {
        this.em = em;
        this.settings = config.retention();
    }

    @Scheduled(every = "${court.retention.interval:1h}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        Purged p = purge(Instant.now());
        if (p.documents() + p.evidence() + p.smsTexts() > 0) {
            Log.infof("retention: purged %d document(s), evidence of %d attempt(s), %d SMS text(s)",
                    p.documents(), p.evidence(), p.smsTexts());
        }
    }

    /** One pass as of {@code now}; stops early when another pod holds the lock. */
    public Purged purge(Instant now) {
        int documents = drain("""
                delete from documents where id in (select id from documents
                where created_at < :cut and not legal_hold order by created_at limit :n)""",
                now.minus(settings.documents()));
        int evidence = drain("""
                update job_attempts set screenshot = null, page_html = null where (job_id, number) in (
                select job_id, number from job_attempts where finished_at < :cut
                and (screenshot is not null or page_html is not null) order by finished_at limit :n)""",
                now.minus(settings.evidence()));
        int sms = drain("""
                update sms_messages set content = cast('' as bytea) where id in (select id from sms_messages
                where created_at < :cut and octet_length(content) > 0 order by created_at limit :n)""",
                now.minus(settings.smsTexts()));
        return new Purged(documents, evidence, sms);
    }

    /** Runs {@code statement} in batches until a batch comes back short; each batch a transaction. */
    private int drain(String statement, Instant cut) {
        int total = 0;
        while (true) {
            Integer n = QuarkusTransaction.requiringNew().call(() -> {
                Boolean mine = (Boolean) em.createNativeQuery("select pg_try_advisory_xact_lock(:k)")
                        .setParameter("k", LOCK).getSingleResult();
                if (!Boolean.TRUE.equals(mine)) {
                    return null; // another pod is purging
                }
                // chunks go with their document (on delete cascade)
                return em.createNativeQuery(statement).setParameter("cut", cut).setParameter("n", BATCH)
                        .executeUpdate();
            });
            if (n == null) {
                return total;
            }
            total += n;
            if (n < BATCH) {
                return total;
            }
        }
    }
}
