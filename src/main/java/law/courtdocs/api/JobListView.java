package law.courtdocs.api;

import java.util.List;

/**
 * {@code total}: jobs matching the filter, counted exactly up to {@code court.api.list-count-limit};
 * beyond it {@code totalExact} is false and {@code total} is that limit (show it as "10,000+").
 */
public record JobListView(List<JobView> items, int page, int size, long total, boolean totalExact) {}
