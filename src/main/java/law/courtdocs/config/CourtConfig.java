package law.courtdocs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of our own lives under {@code court.*}; each has a default and the usual
 * environment override ({@code court.worker.slots} ← {@code COURT_WORKER_SLOTS}).
 */
@ConfigMapping(prefix = "court")
public interface CourtConfig {

    /** {@code api}, {@code worker} or {@code all} (both in one process: dev, demo, tests). */
    @WithDefault("all")
    Role role();

    /** Outbound HTTP proxy for the browser and the worker's HTTP client, e.g. {@code http://127.0.0.1:3128}. */
    Optional<String> httpProxy();

    Worker worker();

    Browser browser();

    Portals portals();

    Retry retry();

    Outbox outbox();

    Files files();

    Queue queue();

    Auth auth();

    Secrets secrets();

    Api api();

    Events events();

    /** Domain events (README, "Events"): the stream, webhooks and chat channels read them. */
    interface Events {
        /** Off only to measure what events cost (bench); nothing reads a stream that is not written. */
        @WithDefault("true")
        boolean enabled();

        /** How long events are kept; a stream or webhook further behind than this misses the oldest. */
        @WithDefault("30d")
        Duration retention();

        /** How often an open stream looks for new events (they may come from any pod). */
        @WithDefault("500ms")
        Duration pollInterval();

        /** A comment line on an idle stream, so proxies keep it open and the client sees it alive. */
        @WithDefault("15s")
        Duration heartbeat();
    }

    Webhooks webhooks();

    /** Webhook subscriptions (README, "Webhooks"): sent by worker-role processes. */
    interface Webhooks {
        /**
         * Hosts ({@code cases.firm.local}) or CIDRs ({@code 10.20.0.0/16}, an IP alone) a webhook
         * may go to although they are not public: a case system on the firm's own network.
         * Link-local and cloud metadata addresses are refused even when listed.
         */
        Optional<List<String>> allowedDestinations();

        /** How often a sender looks for subscriptions with something to send. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Connect + answer time a receiver gets per delivery. */
        @WithDefault("10s")
        Duration timeout();

        /** First retry after a failed delivery; doubled each time up to {@code max-backoff}. */
        @WithDefault("5s")
        Duration initialBackoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /** A delivery still failing this long after its first try is FAILED and the next event goes. */
        @WithDefault("24h")
        Duration giveUpAfter();

        /** How long a sender holds a subscription; another pod takes it over after this. */
        @WithDefault("2m")
        Duration lease();
    }

    /** Chat-group notification channels (README, "Chat-group notifications"). */
    Notifications notifications();

    interface Notifications {
        /**
         * Where people open this service, e.g. {@code https://court-docs.example-lawfirm.cn}: the
         * start of every document and captcha link in a chat message. Unset, messages carry the
         * API paths alone.
         */
        Optional<String> publicBaseUrl();

        /** Telegram's Bot API; another address only for a Bot API server of the firm's own. */
        @WithDefault("https://api.telegram.org")
        String telegramApiUrl();

        /**
         * Robot addresses must be https. Off only in tests, whose vendor simulators answer plain
         * HTTP through the proxy (they do not terminate TLS).
         */
        @WithDefault("true")
        boolean requireHttps();
    }

    /** Service metrics on /q/metrics (README, "Operating it"). */
    Metrics metrics();

    interface Metrics {
        /**
         * Label {@code court_jobs} by tenant too. Off by default: every tenant multiplies the
         * series Prometheus keeps.
         */
        @WithDefault("false")
        boolean perTenant();

        /**
         * How often an api pod counts jobs, the outbox, webhook backlog and the queue for the
         * gauges (a count over the jobs table: ~0.1 s per million jobs).
         */
        @WithDefault("30s")
        Duration refreshInterval();
    }

    /** How long what the service keeps is kept (README, "Retention"); purged by any one pod at a time. */
    Retention retention();

    interface Retention {
        /** Documents and their bytes, from when they were stored; a document under legal hold stays. */
        @WithDefault("365d")
        Duration documents();

        /** A failed attempt's screenshot and page HTML, from when the attempt ended. */
        @WithDefault("30d")
        Duration evidence();

        /** An SMS's text (sealed), from when it was taken in; what was parsed from it and its jobs stay. */
        @WithDefault("90d")
        Duration smsTexts();

        /** How often a purge pass runs. */
        @WithDefault("1h")
        Duration interval();
    }

    interface Api {
        /**
         * A job list's {@code total} is counted exactly up to this many jobs; above it the answer says
         * {@code "totalExact": false} and {@code total} is this limit ("10,000+"). Counting a firm's
         * whole history on every page costs ~15 ms at 50k jobs (bench, 2026-12-02), the page itself 0.2 ms.
         */
        @WithDefault("10000")
        int listCountLimit();

        /**
         * Most plain submissions (no Idempotency-Key, no credentials) stored in one transaction;
         * 0 gives every submission its own. Batches form only while a commit is under way, so a
         * lone submission never waits for company.
         */
        @WithDefault("64")
        int submitBatchMax();
    }

    Captcha captcha();

    /** Captchas answered by a person while the job waits without a worker slot. */
    interface Captcha {
        /** A job waiting longer than this for an answer fails with CAPTCHA_TIMEOUT. */
        @WithDefault("10m")
        java.time.Duration timeout();

        /** How often any pod looks for waits that ran out. */
        @WithDefault("5s")
        java.time.Duration pollInterval();

        /** Captchas a person is asked per series of attempts; then the job fails (LOGIN_FAILED). */
        @WithDefault("5")
        int maxRounds();

        /** Largest captcha image kept; a portal answering more is not showing a captcha. */
        @WithDefault("262144")
        int maxImageBytes();
    }

    /** Encryption at rest for what a job carries that nobody may read back (portal credentials, parked sessions). */
    interface Secrets {
        /**
         * Base64 of 32 random bytes ({@code openssl rand -base64 32}); in Kubernetes from a Secret.
         * Unset: jobs that carry credentials are refused (503) and nothing secret is stored.
         */
        Optional<String> key();
    }

    /**
     * Who may call the API. Tokens themselves are checked by the standard MicroProfile JWT settings
     * ({@code mp.jwt.verify.publickey.location}, {@code mp.jwt.verify.issuer}); these settings say
     * what in a valid token we rely on. See docs/auth.md.
     */
    interface Auth {
        /** Token claim naming the caller's tenant (law firm); a token without it gets 403. */
        @WithDefault("tenant")
        String tenantClaim();

        /** Role names, as they appear in the token's {@code groups} claim. */
        Roles roles();

        /**
         * Job submissions one caller (tenant + subject) may make per minute. Counted in memory on
         * each API pod: with N pods a caller may reach up to N times this.
         */
        @WithDefault("120")
        int submitRatePerMinute();

        /**
         * Take the client address for the audit trail from the first hop of
         * {@code X-Forwarded-For}. Only for deployments behind a proxy that sets that header;
         * otherwise any client could write what it likes there.
         */
        @WithDefault("false")
        boolean trustForwardedFor();

        interface Roles {
            /** Submits and reads its tenant's jobs and documents. */
            @WithDefault("court-user")
            String user();

            /** A user who may also cancel and retry jobs and read attempts and the audit trail. */
            @WithDefault("court-admin")
            String admin();

            /** Machine clients (e.g. SMS intake): submit and read. */
            @WithDefault("court-service")
            String service();
        }
    }

    interface Queue {
        /** Durable direct exchange the jobs are published to. */
        @WithDefault("court.jobs")
        String exchange();

        /** Classic queue with x-max-priority 10: job priority reaches the broker. */
        @WithDefault("court.jobs")
        String jobs();

        /** Where unreadable or unknown messages go, with the reason in a header. */
        @WithDefault("court.jobs.dead")
        String deadLetter();

        /**
         * Names this process's RabbitMQ connections (shown by {@code rabbitmqctl list_connections}
         * and the management UI), so an operator can tell pods apart and close one pod's
         * connections. Unset: {@code court-docs <role> <host> pid <pid>}.
         */
        Optional<String> clientName();
    }

    interface Worker {
        /** Jobs one worker process runs at once; also its RabbitMQ prefetch. */
        @WithDefault("2")
        int slots();

        /** Whole-job deadline; far below RabbitMQ's 30-minute consumer ack timeout. */
        @WithDefault("10m")
        Duration jobTimeout();

        /** Name recorded on attempts; defaults to the host (pod) name. */
        Optional<String> name();

        /**
         * A RUNNING job belongs to its worker while the lease lasts; the worker extends it every
         * {@link #heartbeat()}. A job whose lease ran out (pod killed) is queued again.
         */
        @WithDefault("2m")
        Duration lease();

        @WithDefault("30s")
        Duration heartbeat();

        /** How often any pod looks for RUNNING jobs whose lease ran out. */
        @WithDefault("30s")
        Duration reaperInterval();

        /** On SIGTERM, how long running jobs may go on before they are handed back to the queue. */
        @WithDefault("60s")
        Duration shutdownGrace();
    }

    interface Browser {
        /** Chromium binary; unset: /usr/bin/chromium if present, else Playwright's own browser. */
        Optional<String> executable();

        @WithDefault("50")
        int recycleAfter();

        @WithDefault("true")
        boolean headless();

        @WithDefault("30s")
        Duration navigationTimeout();

        @WithDefault("2m")
        Duration downloadTimeout();
    }

    interface Portals {
        /** Hosts a submitted link may point to. */
        @WithDefault("zxfw.court.gov.cn,sd.gdems.com,jysd.10102368.com,dzsd.hbfy.gov.cn,sfsd.jxfy.gov.cn,"
                + "sfpt.cdfy12368.gov.cn,171.106.48.55")
        List<String> allowedHosts();

        /** Hosts running the daolv delivery platform (account mode); add a court's here and above. */
        @WithDefault("dzsd.hbfy.gov.cn,sfsd.jxfy.gov.cn")
        List<String> daolvHosts();

        /**
         * Instances of the sfdw (司法送达网) platform: {@code host} on the scheme's default port, or
         * {@code host:port} for that port only. Add a court's here and its host to allowed-hosts.
         */
        @WithDefault("sfpt.cdfy12368.gov.cn,171.106.48.55:28083")
        List<String> sfdwHosts();
    }

    interface Retry {
        @WithDefault("5")
        int maxAttempts();

        @WithDefault("30s")
        Duration initialDelay();

        @WithDefault("2.0")
        double multiplier();

        @WithDefault("30m")
        Duration maxDelay();

        /** How often a job whose documents are not uploaded yet is looked at again. */
        @WithDefault("2h")
        Duration notReadyDelay();

        /** How long we keep waiting for a court to upload documents. */
        @WithDefault("3d")
        Duration notReadyGiveUpAfter();

        /** How often due retries are looked for. */
        @WithDefault("5s")
        Duration pollInterval();
    }

    interface Outbox {
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("100")
        int batchSize();

        @WithDefault("5s")
        Duration confirmTimeout();
    }

    interface Files {
        /** Largest single document we keep. */
        @WithDefault("104857600")
        long maxDocumentBytes();

        /** ZIP archives: most entries and most uncompressed bytes we accept. */
        @WithDefault("500")
        int maxZipEntries();

        @WithDefault("524288000")
        long maxZipBytes();

        /** All documents of one job together. */
        @WithDefault("1073741824")
        long maxJobBytes();

        /** Keep files that are not PDF, OFD, image or Office documents (by their first bytes)? */
        @WithDefault("false")
        boolean allowUnknownTypes();
    }
}
