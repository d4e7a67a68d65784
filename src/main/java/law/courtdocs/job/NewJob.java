package law.courtdocs.job;

import java.net.URI;

/** A validated submission: the link already passed the allowlist and has an adapter. */
public record NewJob(URI url, String portal, int priority, String caseRef) {}
