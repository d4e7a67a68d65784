package law.courtdocs.egress;

import java.io.IOException;

/**
 * A request (or one of its redirects) the job's {@link EgressGuard} refused. An
 * {@link IOException} so that adapters treat it like any other network failure. The message
 * names host and path only, never the query.
 */
public final class EgressRefusedException extends IOException {

    private final String target;

    public EgressRefusedException(String target, String reason) {
        super("egress refused for " + target + ": " + reason);
        this.target = target;
    }

    /** Host and path of the refused URL. */
    public String target() {
        return target;
    }
}
