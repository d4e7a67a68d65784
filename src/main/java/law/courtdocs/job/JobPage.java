package law.courtdocs.job;

import java.util.List;

public record JobPage(List<JobEntity> items, int page, int size, long total) {}
