package law.courtdocs.job;

import java.util.List;

/** One page of a job list; {@code total} is exact when {@code totalExact}, else a lower bound. */
public record JobPage(List<JobEntity> items, int page, int size, long total, boolean totalExact) {}
