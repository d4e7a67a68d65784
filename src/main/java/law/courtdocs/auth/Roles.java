package law.courtdocs.auth;

/**
 * Role names for {@code @RolesAllowed}, as property expressions: the names themselves are settings
 * ({@code court.auth.roles.*}, defaults in {@link law.courtdocs.config.CourtConfig.Auth.Roles}).
 */
public final class Roles {

    /** Submits and reads its tenant's jobs and documents. */
    public static final String USER = "${court.auth.roles.user}";

    /** Also cancels and retries jobs and reads attempts, screenshots, HTML and the audit trail. */
    public static final String ADMIN = "${court.auth.roles.admin}";

    /** Machine clients (SMS intake, back-end jobs): submit and read. */
    public static final String SERVICE = "${court.auth.roles.service}";

    private Roles() {}
}
