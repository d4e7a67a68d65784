package law.courtdocs.portal;

import java.net.URI;
import java.util.List;

/**
 * Knows one court delivery portal: which links are its, and how to turn such a link into
 * documents. One implementation per portal, so "how gdems is downloaded" reads in one file.
 *
 * <p>Implementations are application-scoped and stateless; everything per job comes in through
 * the {@link PortalSession}. They run on a worker thread that may block for as long as the
 * portal takes, up to the session's timeouts.
 */
public interface PortalAdapter {

    /** Short stable name stored on the job: {@code zxfw}, {@code gdems}, {@code direct}, … */
    String id();

    /** Whether this adapter can read the link. Checked at submit time and again by the worker. */
    boolean handles(URI link);

    /**
     * Downloads every document behind the link into {@code session.accept(..)}.
     *
     * @throws PortalException classified failure; anything else counts as {@code INTERNAL}
     */
    void download(PortalSession session) throws PortalException;

    /**
     * Hosts the worker's browser and HTTP client may reach for this link (see
     * {@code law.courtdocs.egress.EgressGuard} for the rule forms: {@code host}, {@code *.suffix},
     * {@code host:port}, {@code ip:port}). Everything else, and any internal address, is blocked.
     * By default the link's own host, with its port when the link names a non-default one.
     * Portals that send the browser to other hosts (file storage, login iframes) override this.
     */
    default List<String> egressHosts(URI link) {
        String host = link.getHost();
        int port = link.getPort();
        boolean defaultPort = port < 0 || ("http".equalsIgnoreCase(link.getScheme()) && port == 80)
                || ("https".equalsIgnoreCase(link.getScheme()) && port == 443);
        return List.of(defaultPort ? host : host + ":" + port);
    }

    /**
     * Order among adapters that handle the same link: lower wins. The catch-all {@code direct}
     * adapter sits last.
     */
    default int order() {
        return 100;
    }
}
