package law.courtdocs.api;

import java.util.List;

public record JobListView(List<JobView> items, int page, int size, long total) {}
