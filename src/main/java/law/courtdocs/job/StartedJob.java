package law.courtdocs.job;

import java.util.UUID;

/** What a worker needs to know once it owns a job's attempt. */
public record StartedJob(UUID id, String url, String portal, int attempt) {}
