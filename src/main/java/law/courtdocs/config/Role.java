package law.courtdocs.config;

/** What a process of this service does: the same jar runs as API pods and as worker pods. */
public enum Role {
    API,
    WORKER,
    ALL;

    public boolean servesApi() {
        return this != WORKER;
    }

    public boolean runsJobs() {
        return this != API;
    }
}
