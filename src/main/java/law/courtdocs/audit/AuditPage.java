package law.courtdocs.audit;

import java.util.List;

public record AuditPage(List<AuditEvent> items, int page, int size, long total) {}
