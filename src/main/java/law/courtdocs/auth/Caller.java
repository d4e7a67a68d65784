package law.courtdocs.auth;

import java.util.Set;

/**
 * Who is calling, from a verified token: everything a read or a write is scoped by. Built once per
 * request by {@link CurrentCaller} and handed to the services as a parameter, so the tenant
 * filter is part of each query's signature rather than a check someone can forget.
 *
 * @param subject the token's {@code sub} (or its principal name), recorded in the audit trail
 * @param tenant the firm whose jobs and documents this caller may see
 * @param groups the token's roles ({@code groups} claim)
 * @param clientAddress the client's IP address as far as we trust it (see {@code court.auth.trust-forwarded-for})
 */
public record Caller(String subject, String tenant, Set<String> groups, String clientAddress) {}
