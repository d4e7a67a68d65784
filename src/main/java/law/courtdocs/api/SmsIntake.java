package law.courtdocs.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import law.courtdocs.auth.Caller;
import law.courtdocs.event.EventLog;
import law.courtdocs.job.JobEntity;
import law.courtdocs.job.JobService;
import law.courtdocs.job.NewJob;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.secrets.JobSecrets;
import law.courtdocs.sms.ParsedSms;
import law.courtdocs.sms.SmsMessageEntity;
import law.courtdocs.sms.SmsParser;
import law.courtdocs.storage.DocumentEntity;

/**
 * {@code POST /api/v1/sms}: reads a court SMS, keeps it (sealed) and makes one job per delivery
 * link, carrying the code, account and password found in the text and the phones the caller
 * named. Each link goes through the same checks and the same dedup as {@code POST /api/v1/jobs};
 * the message and all its jobs are stored in one transaction.
 */
@ApplicationScoped
public class SmsIntake {

    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private final SmsParser parser = new SmsParser();
    private final JobSubmission submission;
    private final JobService jobs;
    private final JobSecrets secrets;
    private final EntityManager em;
    private final ObjectMapper json;
    private final EventLog events;

    public SmsIntake(JobSubmission submission, JobService jobs, JobSecrets secrets, EntityManager em, ObjectMapper json,
            EventLog events) {
        this.events = events;
        this.submission = submission;
        this.jobs = jobs;
        this.secrets = secrets;
        this.em = em;
        this.json = json;
    }

    /** What {@link #intake} did: the message, and whether it created any job (the relay wants a kick). */
    public record Result(SmsView view, boolean jobsCreated) {}

    @Transactional
    public Result intake(Caller caller, SmsRequest body, String idempotencyKey) {
        // The text itself is a secret (codes, passwords): without a key it cannot be kept at all.
        submission.requireSecretsKey();
        Instant now = Instant.now();
        String key = idempotencyKey == null ? null : JobSubmission.checkKey(idempotencyKey);
        String requestHash = requestHash(body);
        if (key != null) {
            em.createNativeQuery("select pg_advisory_xact_lock(hashtextextended(:k, 0))")
                    .setParameter("k", "sms-idem|" + caller.tenant() + "|" + key).getSingleResult();
            SmsMessageEntity seen = SmsMessageEntity.<SmsMessageEntity>find("tenant = ?1 and idempotencyKey = ?2",
                    caller.tenant(), key).firstResult();
            if (seen != null && seen.createdAt.isAfter(now.minus(IDEMPOTENCY_WINDOW))) {
                if (!requestHash.equals(seen.requestHash)) {
                    throw new ApiProblem(422, "Idempotency-Key reused",
                            "Idempotency-Key was used with a different request");
                }
                return new Result(view(seen), false);
            }
            if (seen != null) {
                seen.idempotencyKey = null;
                em.flush();
            }
        }

        ParsedSms parsed = parser.parse(body.content());
        List<String> phones = body.phones() == null ? List.of() : body.phones().stream().distinct().toList();
        PortalCredentials credentials = new PortalCredentials(phones, parsed.verificationCode(), parsed.account(),
                parsed.password());
        String caseRef = blankToNull(body.caseRef());
        if (caseRef == null && !parsed.caseNumbers().isEmpty() && parsed.caseNumbers().get(0).length() <= 128) {
            caseRef = parsed.caseNumbers().get(0);
        }

        List<SmsView.Link> links = new ArrayList<>();
        boolean created = false;
        for (ParsedSms.Link link : parsed.links()) {
            JobSubmission.CheckedLink checked = submission.check(link.url());
            if (!checked.accepted()) {
                links.add(new SmsView.Link(link.url(), link.portal().id(), SmsView.Outcome.REFUSED, checked.refusal(),
                        null));
                continue;
            }
            JobService.Submitted submitted = jobs.submit(caller, new NewJob(checked.url(), checked.portal(),
                    SubmitJobRequest.DEFAULT_PRIORITY, caseRef, credentials), false, null);
            created |= submitted.created();
            links.add(new SmsView.Link(link.url(), checked.portal(),
                    submitted.created() ? SmsView.Outcome.JOB_CREATED : SmsView.Outcome.EXISTING_JOB, null,
                    submitted.job().id));
        }
        SmsView.Parsed shown = new SmsView.Parsed(links, parsed.caseNumbers(), parsed.court(),
                parsed.verificationCode() != null, parsed.account() != null, parsed.password() != null, phones.size(),
                parsed.filingNotice());

        SmsMessageEntity sms = new SmsMessageEntity();
        sms.id = UUID.randomUUID();
        sms.tenant = caller.tenant();
        byte[] plain = body.content().getBytes(StandardCharsets.UTF_8);
        try {
            sms.content = secrets.seal(plain, sms.id);
        } finally {
            java.util.Arrays.fill(plain, (byte) 0);
        }
        sms.receivedAt = body.receivedAt();
        sms.caseRef = blankToNull(body.caseRef());
        sms.parsed = write(shown);
        sms.idempotencyKey = key;
        sms.requestHash = key == null ? null : requestHash;
        sms.createdAt = now;
        sms.persist();
        events.smsReceived(caller.tenant(), sms.caseRef != null ? sms.caseRef : caseRef, smsEventData(sms, shown));
        Log.infof("sms %s: %d link(s), %d refused, jobs created: %s", sms.id, links.size(),
                links.stream().filter(l -> l.outcome() == SmsView.Outcome.REFUSED).count(), created);
        return new Result(view(sms), created);
    }

    /** The tenant's message; empty for unknown ids and for other tenants' alike. */
    @Transactional
    public Optional<SmsView> find(Caller caller, UUID id) {
        return SmsMessageEntity.<SmsMessageEntity>find("id = ?1 and tenant = ?2", id, caller.tenant())
                .firstResultOptional().map(this::view);
    }

    private SmsView view(SmsMessageEntity sms) {
        SmsView.Parsed parsed = read(sms.parsed);
        List<UUID> ids = new ArrayList<>(new LinkedHashSet<>(parsed.links().stream()
                .map(SmsView.Link::jobId).filter(java.util.Objects::nonNull).toList()));
        List<JobView> jobViews = List.of();
        if (!ids.isEmpty()) {
            Map<UUID, JobEntity> byId = JobEntity.<JobEntity>list("id in ?1 and tenant = ?2", ids, sms.tenant).stream()
                    .collect(Collectors.toMap(j -> j.id, Function.identity()));
            Map<UUID, List<DocumentEntity>> docs = DocumentEntity.<DocumentEntity>list(
                    "jobId in ?1 order by createdAt, id", ids).stream().collect(Collectors.groupingBy(d -> d.jobId));
            jobViews = ids.stream().filter(byId::containsKey)
                    .map(id -> JobView.of(byId.get(id), docs.getOrDefault(id, List.of()))).toList();
        }
        return new SmsView(sms.id, sms.receivedAt, sms.caseRef, sms.createdAt, parsed, jobViews);
    }

    /** Keyed fingerprint of everything in the request: the content holds secrets, a plain hash would not do. */
    private String requestHash(SmsRequest body) {
        return secrets.fingerprint(String.join("\u0000", body.content(), String.valueOf(body.receivedAt()),
                String.valueOf(body.caseRef()), body.phones() == null ? "" : String.join(",", body.phones())));
    }

    private String write(SmsView.Parsed parsed) {
        try {
            return json.writeValueAsString(parsed);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private SmsView.Parsed read(String stored) {
        try {
            return json.readValue(stored, SmsView.Parsed.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored SMS view is not readable", e);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /**
     * {@code sms.received}'s data. The links' URLs stay out: they carry the delivery's token, and
     * events travel to chat groups; the jobs they made are named instead.
     */
    static java.util.Map<String, Object> smsEventData(SmsMessageEntity sms, SmsView.Parsed shown) {
        java.util.Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("smsId", sms.id.toString());
        data.put("receivedAt", sms.receivedAt == null ? null : sms.receivedAt.toString());
        data.put("court", shown.court());
        data.put("caseNumbers", shown.caseNumbers());
        data.put("links", shown.links().stream().map(l -> {
            java.util.Map<String, Object> link = new java.util.LinkedHashMap<>();
            link.put("portal", l.portal());
            link.put("outcome", l.outcome().name());
            link.put("jobId", l.jobId() == null ? null : l.jobId().toString());
            link.put("reason", l.reason());
            return link;
        }).toList());
        return data;
    }
}
