package law.courtdocs.job;

/** List query; null fields do not filter. */
public record JobFilter(JobStatus status, String caseRef, String portal, int page, int size) {}
