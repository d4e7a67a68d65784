package law.courtdocs.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobStatus;

/**
 * Writes the domain events, always inside the caller's transaction: the event exists exactly when
 * the change it describes committed. Readers (the stream, webhooks, chat channels) follow a
 * tenant's {@code seq}.
 *
 * <p>Why a counter row rather than a database sequence: a sequence hands out numbers in call
 * order, but transactions commit in another, so a reader at seq 7 could later find a 6 committed
 * behind it and skip it for good. The counter row is locked from the event's insert to the commit,
 * so a tenant's events commit in seq order. It is taken last in every transaction (after the job
 * row), so it adds no lock-order cycle; the submit batcher takes several in tenant order.
 */
@ApplicationScoped
public class EventLog {

    static final ObjectMapper JSON = new ObjectMapper();

    private static final String INSERT = """
            with c as (insert into event_counters (tenant, last_seq) values (:tenant, 1)
                       on conflict (tenant) do update set last_seq = event_counters.last_seq + 1
                       returning last_seq)
            insert into events (id, tenant, seq, type, occurred_at, job_id, case_ref, data)
            select :id, :tenant, c.last_seq, :type, :at, :job, :caseRef, :data from c""";

    private final EntityManager em;
    private final boolean enabled;
    private final Clock clock = Clock.systemUTC();

    public EventLog(EntityManager em, CourtConfig config) {
        this.em = em;
        this.enabled = config.events().enabled();
    }

    /** The event of the job's last {@link JobEntity#moveTo}; call once all its fields are set. */
    public void jobMoved(JobEntity job) {
        JobStatus from = job.takeMove();
        if (!enabled) {
            return;
        }
        append(job.tenant, EventType.of(job.status()), job.id, job.caseRef, jobData(job, from, documentCount(job)));
    }

    /** A document of {@code job} was stored (same transaction as its row). */
    public void documentStored(JobEntity job, Map<String, Object> document) {
        if (enabled) {
            append(job.tenant, EventType.DOCUMENT_STORED, job.id, job.caseRef, document);
        }
    }

    /** An SMS was taken in; {@code data} says which links made which jobs. */
    public void smsReceived(String tenant, String caseRef, Map<String, Object> data) {
        if (enabled) {
            append(tenant, EventType.SMS_RECEIVED, null, caseRef, data);
        }
    }

    void append(String tenant, EventType type, UUID jobId, String caseRef, Map<String, Object> data) {
        em.createNativeQuery(INSERT)
                .setParameter("id", UUID.randomUUID())
                .setParameter("tenant", tenant)
                .setParameter("type", type.wire())
                .setParameter("at", clock.instant())
                .setParameter("job", jobId)
                .setParameter("caseRef", caseRef)
                .setParameter("data", json(data))
                .executeUpdate();
    }

    private long documentCount(JobEntity job) {
        if (job.status() != JobStatus.SUCCEEDED) {
            return -1;
        }
        return em.createQuery("select count(*) from DocumentEntity d where d.jobId = :job", Long.class)
                .setParameter("job", job.id).getSingleResult();
    }

    /** What every job event says: where the job is now, where it came from, and why. */
    static Map<String, Object> jobData(JobEntity job, JobStatus from, long documents) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("status", job.status().name());
        data.put("previousStatus", from == null ? null : from.name());
        data.put("portal", job.portal);
        data.put("attempt", job.attempts);
        data.put("maxAttempts", job.maxAttempts);
        if (job.errorCode != null) {
            data.put("errorCode", job.errorCode);
            data.put("errorMessage", job.errorMessage);
        }
        if (job.status() == JobStatus.RETRY_SCHEDULED && job.nextAttemptAt != null) {
            data.put("nextAttemptAt", job.nextAttemptAt.toString());
        }
        if (job.status() == JobStatus.WAITING_FOR_CAPTCHA) {
            data.put("captchaUrl", "/api/v1/jobs/" + job.id + "/captcha");
            data.put("captchaRound", job.captchaRounds);
        }
        if (documents >= 0) {
            data.put("documents", documents);
        }
        return data;
    }

    /**
     * {@code job.queued} for jobs the submit batcher inserted with plain JDBC, in its transaction:
     * one statement, counters bumped once per tenant in tenant order (two batches never deadlock).
     */
    public static void insertQueued(Connection c, List<JobEntity> jobs, boolean enabled) throws SQLException {
        if (!enabled || jobs.isEmpty()) {
            return;
        }
        int n = jobs.size();
        Object[] ids = new Object[n], tenants = new Object[n], caseRefs = new Object[n], data = new Object[n],
                ats = new Object[n];
        for (int i = 0; i < n; i++) {
            JobEntity j = jobs.get(i);
            ids[i] = j.id.toString();
            tenants[i] = j.tenant;
            caseRefs[i] = j.caseRef;
            data[i] = json(jobData(j, j.takeMove(), -1));
            ats[i] = j.createdAt.toString();
        }
        try (PreparedStatement insert = c.prepareStatement("""
                with n as (select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                           with ordinality as n(job_id, tenant, case_ref, data, at, ord)),
                     wanted as (select tenant, count(*) as k from n group by tenant),
                     bumped as (insert into event_counters (tenant, last_seq)
                                select tenant, k from wanted order by tenant
                                on conflict (tenant) do update set last_seq = event_counters.last_seq + excluded.last_seq
                                returning tenant, last_seq)
                insert into events (id, tenant, seq, type, occurred_at, job_id, case_ref, data)
                select gen_random_uuid(), n.tenant,
                       b.last_seq - w.k + row_number() over (partition by n.tenant order by n.ord),
                       'job.queued', n.at::timestamptz, n.job_id::uuid, n.case_ref, n.data
                from n join bumped b on b.tenant = n.tenant join wanted w on w.tenant = n.tenant""")) {
            insert.setArray(1, c.createArrayOf("text", ids));
            insert.setArray(2, c.createArrayOf("text", tenants));
            insert.setArray(3, c.createArrayOf("text", caseRefs));
            insert.setArray(4, c.createArrayOf("text", data));
            insert.setArray(5, c.createArrayOf("text", ats));
            insert.executeUpdate();
        }
    }

    /** The tenant's events after {@code afterSeq}, oldest first, at most {@code limit}. */
    @Transactional
    public List<EventView> after(String tenant, long afterSeq, EventFilter filter, int limit) {
        StringBuilder q = new StringBuilder("from EventEntity e where e.tenant = :tenant and e.seq > :after");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("tenant", tenant);
        params.put("after", afterSeq);
        if (filter.jobId() != null) {
            q.append(" and e.jobId = :job");
            params.put("job", filter.jobId());
        }
        if (filter.caseRef() != null) {
            q.append(" and e.caseRef = :caseRef");
            params.put("caseRef", filter.caseRef());
        }
        if (!filter.types().isEmpty()) {
            q.append(" and e.type in :types");
            params.put("types", filter.types().stream().map(EventType::wire).toList());
        }
        var query = em.createQuery(q.append(" order by e.seq").toString(), EventEntity.class);
        params.forEach(query::setParameter);
        List<EventView> out = new ArrayList<>();
        for (EventEntity e : query.setMaxResults(limit).getResultList()) {
            out.add(EventView.of(e));
        }
        return out;
    }

    /** The newest seq of the tenant (0 before its first event): where a stream without a cursor starts. */
    @Transactional
    public long latestSeq(String tenant) {
        Long last = em.createQuery("select max(e.seq) from EventEntity e where e.tenant = :tenant", Long.class)
                .setParameter("tenant", tenant).getSingleResult();
        return last == null ? 0 : last;
    }

    /** Events older than the retention go, a bounded batch per call (safe on any number of pods). */
    @Transactional
    public int purge(Instant before, int max) {
        return em.createNativeQuery("""
                delete from events where id in (select id from events where occurred_at < :before
                limit :max for update skip locked)""")
                .setParameter("before", before)
                .setParameter("max", max)
                .executeUpdate();
    }

    static String json(Map<String, Object> data) {
        try {
            return JSON.writeValueAsString(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event data is not JSON", e);
        }
    }
}
