package law.courtdocs.job;

/**
 * Why an attempt failed, and therefore what happens next. The code is part of the API
 * ({@code error.code} in the Job JSON); the class decides retry behaviour.
 */
public enum ErrorCode {
    /** The portal says the link is invalid or expired: asking again will not help. */
    LINK_EXPIRED(Kind.PERMANENT),
    /** The court has not uploaded the documents yet: ask again hours later. */
    DOCUMENTS_NOT_READY(Kind.NOT_READY),
    /** The page is not what the adapter knows how to read. */
    UNSUPPORTED_PAGE(Kind.PERMANENT),
    /** The portal answered 4xx. */
    PORTAL_REJECTED(Kind.PERMANENT),
    /** The portal answered 5xx. */
    PORTAL_ERROR(Kind.TRANSIENT),
    TIMEOUT(Kind.TRANSIENT),
    NETWORK_ERROR(Kind.TRANSIENT),
    BROWSER_CRASHED(Kind.TRANSIENT),
    /** A document or archive broke a size, count or path rule. */
    UNSAFE_CONTENT(Kind.PERMANENT),
    /** The portal listed nothing to download. */
    NO_DOCUMENTS(Kind.PERMANENT),
    /** No phone, code or account/password we have opened the portal's door. */
    LOGIN_FAILED(Kind.PERMANENT),
    /** A captcha was asked and nobody answered in time. */
    CAPTCHA_TIMEOUT(Kind.PERMANENT),
    /** The worker running the attempt stopped answering (pod killed, lease ran out). */
    WORKER_LOST(Kind.TRANSIENT),
    /** A fault of ours (database, storage, a bug): retried, it may be passing. */
    INTERNAL(Kind.TRANSIENT);

    public enum Kind {
        TRANSIENT,
        NOT_READY,
        PERMANENT
    }

    private final Kind kind;

    ErrorCode(Kind kind) {
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
