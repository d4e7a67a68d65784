package law.courtdocs.portal;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import law.courtdocs.job.ErrorCode;

/**
 * The catch-all: an allowed court host whose link answers a document itself (some courts send
 * a plain PDF link). No browser. Anything that is not a PDF (say, a portal page no adapter
 * knows yet) fails as {@code UNSUPPORTED_PAGE} rather than storing an HTML page as a document.
 */
@ApplicationScoped
public class DirectAdapter implements PortalAdapter {

    @Override
    public String id() {
        return "direct";
    }

    @Override
    public boolean handles(URI link) {
        return link.getHost() != null && ("http".equals(link.getScheme()) || "https".equals(link.getScheme()));
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        URI link = session.link();
        HttpRequest request = HttpRequest.newBuilder(link)
                .timeout(session.downloadTimeout())
                .header("Accept", "application/pdf,*/*;q=0.8")
                .GET()
                .build();
        Path target = session.workDir().resolve("direct.download");
        HttpResponse<InputStream> response;
        try {
            response = session.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() >= 500) {
                    throw new PortalException(ErrorCode.PORTAL_ERROR, "portal answered " + response.statusCode());
                }
                if (response.statusCode() >= 400) {
                    throw new PortalException(ErrorCode.PORTAL_REJECTED, "portal answered " + response.statusCode());
                }
                Files.copy(body, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (HttpTimeoutException e) {
            throw new PortalException(ErrorCode.TIMEOUT, "no answer within " + session.downloadTimeout(), e);
        } catch (ConnectException e) {
            throw new PortalException(ErrorCode.NETWORK_ERROR, "cannot connect to " + link.getHost(), e);
        } catch (IOException e) {
            throw new PortalException(ErrorCode.NETWORK_ERROR, "download from " + link.getHost() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PortalException(ErrorCode.TIMEOUT, "interrupted", e);
        }
        if (!isPdf(target)) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "link does not answer a PDF and no portal adapter knows "
                    + link.getHost());
        }
        String name = FileNames.sanitize(nameFrom(link));
        String title = name.toLowerCase().endsWith(".pdf") ? name.substring(0, name.length() - 4) : name;
        session.accept(new DownloadedFile(target, name.toLowerCase().endsWith(".pdf") ? name : name + ".pdf",
                title, null, null));
    }

    private static boolean isPdf(Path file) throws PortalException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(4);
            return new String(head, StandardCharsets.ISO_8859_1).equals("%PDF");
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "cannot read the download", e);
        }
    }

    static String nameFrom(URI link) {
        String path = link.getRawPath() == null ? "" : link.getRawPath();
        String last = path.substring(path.lastIndexOf('/') + 1);
        return URLDecoder.decode(last.isEmpty() ? "document.pdf" : last, StandardCharsets.UTF_8);
    }
}
