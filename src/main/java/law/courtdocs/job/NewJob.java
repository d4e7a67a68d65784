package law.courtdocs.job;

import java.net.URI;
import law.courtdocs.portal.PortalCredentials;

/**
 * A validated submission: the link already passed the allowlist and has an adapter.
 *
 * @param credentials what the portal's door needs (phones, code, account, password); none when absent
 */
public record NewJob(URI url, String portal, int priority, String caseRef, PortalCredentials credentials) {

    public NewJob {
        credentials = credentials == null ? PortalCredentials.none() : credentials;
    }

    public NewJob(URI url, String portal, int priority, String caseRef) {
        this(url, portal, priority, caseRef, PortalCredentials.none());
    }
}
