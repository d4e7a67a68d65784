package law.courtdocs.portal;

import java.io.IOException;
import java.net.ConnectException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import law.courtdocs.job.ErrorCode;

/**
 * One job's conversation with a portal that needs no browser: {@link PortalSession#http()} (it
 * carries the outbound proxy and its egress rules, so no other client may be built) plus what
 * that client lacks, a cookie store for this job only, and the mapping of failures to error
 * codes every such adapter shares.
 *
 * <p>Error messages name the portal and the request path, never the query or the body: those
 * carry delivery codes, captcha answers and file tokens.
 */
final class PortalHttp {

    /** Some portals answer differently, or not at all, to clients that do not look like a browser. */
    static final String USER_AGENT = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
            + "(KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36";

    private static final Pattern CHARSET = Pattern.compile("(?i)charset=\"?([A-Za-z0-9._-]+)");

    private final PortalSession session;
    private final String portal;
    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);

    PortalHttp(PortalSession session, String portal) {
        this.session = session;
        this.portal = portal;
    }

    /** The cookies the portal set so far, to continue this conversation in another attempt. */
    List<ParkedSession.Cookie> saveCookies() {
        String origin = origin(session.link()).toString();
        return cookies.getCookieStore().getCookies().stream()
                .map(c -> new ParkedSession.Cookie(origin, c.getName(), c.getValue(), c.getDomain(), c.getPath(),
                        c.getSecure(), c.isHttpOnly()))
                .toList();
    }

    /** Puts back cookies {@link #saveCookies} saved: the portal sees the same HTTP session. */
    void restoreCookies(List<ParkedSession.Cookie> saved) {
        for (ParkedSession.Cookie c : saved) {
            HttpCookie cookie = new HttpCookie(c.name(), c.value());
            cookie.setDomain(c.domain());
            cookie.setPath(c.path());
            cookie.setSecure(c.secure());
            cookie.setHttpOnly(c.httpOnly());
            cookie.setVersion(0);
            cookies.getCookieStore().add(URI.create(c.origin()), cookie);
        }
    }

    /** A file on disk, with what the response said about it. */
    record Saved(Path file, HttpHeaders headers, URI uri) {}

    HttpResponse<byte[]> get(URI uri, Map<String, String> headers) throws PortalException {
        return checked(exchange(builder(uri, headers).GET(), session.navigationTimeout()));
    }

    HttpResponse<byte[]> postForm(URI uri, Map<String, String> form, Map<String, String> headers)
            throws PortalException {
        String body = form.entrySet().stream()
                .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = builder(uri, headers)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return checked(exchange(b, session.navigationTimeout()));
    }

    HttpResponse<byte[]> postJson(URI uri, String json, Map<String, String> headers) throws PortalException {
        HttpRequest.Builder b = builder(uri, headers)
                .header("Content-Type", "application/json;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        return checked(exchange(b, session.navigationTimeout()));
    }

    /** Any request, status not checked: for callers that fall back on some statuses. */
    HttpResponse<byte[]> exchange(HttpRequest.Builder builder) throws PortalException {
        return exchange(builder, session.navigationTimeout());
    }

    /**
     * Streams the body to {@code target} (documents may be large), within the download timeout.
     * Error answers are not written anywhere.
     */
    Saved download(URI uri, Path target, Map<String, String> headers) throws PortalException {
        HttpRequest request = withCookies(builder(uri, headers).GET(), uri)
                .timeout(session.downloadTimeout())
                .build();
        HttpResponse<Path> response = send(request, info -> info.statusCode() < 400
                ? HttpResponse.BodySubscribers.ofFile(target)
                : HttpResponse.BodySubscribers.replacing(null), session.downloadTimeout());
        check(response);
        return new Saved(target, response.headers(), response.uri());
    }

    HttpRequest.Builder builder(URI uri, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .version(HttpClient.Version.HTTP_1_1)
                .header("User-Agent", USER_AGENT)
                .header("Accept-Language", "zh-CN,zh;q=0.9");
        headers.forEach(b::header);
        return b;
    }

    private HttpResponse<byte[]> exchange(HttpRequest.Builder builder, Duration timeout) throws PortalException {
        HttpRequest probe = builder.copy().build();
        HttpRequest request = withCookies(builder, probe.uri()).timeout(timeout).build();
        return send(request, HttpResponse.BodyHandlers.ofByteArray(), timeout);
    }

    private HttpRequest.Builder withCookies(HttpRequest.Builder builder, URI uri) {
        try {
            List<String> values = cookies.get(uri, Map.of()).getOrDefault("Cookie", List.of());
            if (!values.isEmpty()) {
                builder.setHeader("Cookie", String.join("; ", values));
            }
        } catch (IOException e) {
            // CookieManager declares it but never throws for an in-memory store
        }
        return builder;
    }

    /**
     * {@code HttpRequest.timeout} only covers the wait for the response head; the overall wait
     * (a body trickling in) is bounded here, a little later, so the client's own timeout wins
     * when both would fire.
     */
    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, Duration timeout)
            throws PortalException {
        CompletableFuture<HttpResponse<T>> future = session.http().sendAsync(request, handler);
        HttpResponse<T> response;
        try {
            response = future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new PortalException(ErrorCode.TIMEOUT, portal + ": no complete answer from " + where(request)
                    + " within " + timeout);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new PortalException(ErrorCode.TIMEOUT, portal + ": interrupted waiting for " + where(request), e);
        } catch (ExecutionException | CompletionException e) {
            throw failure(e.getCause() == null ? e : e.getCause(), request);
        }
        remember(response);
        return response;
    }

    private PortalException failure(Throwable cause, HttpRequest request) {
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String where = where(request);
        if (cause instanceof HttpConnectTimeoutException) {
            return new PortalException(ErrorCode.NETWORK_ERROR, portal + ": cannot connect to " + where, cause);
        }
        if (cause instanceof HttpTimeoutException) {
            return new PortalException(ErrorCode.TIMEOUT, portal + ": no answer from " + where + " within "
                    + request.timeout().orElse(null), cause);
        }
        if (cause instanceof ConnectException) {
            return new PortalException(ErrorCode.NETWORK_ERROR, portal + ": cannot connect to " + where, cause);
        }
        if (cause instanceof IOException) {
            return new PortalException(ErrorCode.NETWORK_ERROR, portal + ": connection to " + where + " failed: "
                    + cause.getClass().getSimpleName(), cause);
        }
        return new PortalException(ErrorCode.INTERNAL, portal + ": request to " + where + " failed", cause);
    }

    /** Cookies set on redirects count too: a login often sets its session on a 302. */
    private void remember(HttpResponse<?> response) {
        Deque<HttpResponse<?>> chain = new ArrayDeque<>();
        for (HttpResponse<?> r = response; r != null; r = r.previousResponse().orElse(null)) {
            chain.push(r);
        }
        for (HttpResponse<?> r : chain) {
            try {
                cookies.put(r.uri(), r.headers().map());
            } catch (IOException e) {
                // never thrown by the in-memory store
            }
        }
    }

    private <T> HttpResponse<T> checked(HttpResponse<T> response) throws PortalException {
        check(response);
        return response;
    }

    void check(HttpResponse<?> response) throws PortalException {
        int status = response.statusCode();
        if (status >= 500) {
            throw new PortalException(ErrorCode.PORTAL_ERROR, portal + ": " + where(response.request())
                    + " answered HTTP " + status);
        }
        if (status >= 400) {
            throw new PortalException(ErrorCode.PORTAL_REJECTED, portal + ": " + where(response.request())
                    + " answered HTTP " + status);
        }
    }

    /** The body as text, in the charset the response declares (UTF-8 when it declares none). */
    static String text(HttpResponse<byte[]> response) {
        Charset charset = StandardCharsets.UTF_8;
        Matcher m = CHARSET.matcher(response.headers().firstValue("Content-Type").orElse(""));
        if (m.find()) {
            try {
                charset = Charset.forName(m.group(1));
            } catch (RuntimeException unknown) {
                // keep UTF-8: what these portals send
            }
        }
        return new String(response.body(), charset);
    }

    /** Host and path only: queries carry tokens. */
    static String where(HttpRequest request) {
        URI uri = request.uri();
        return uri.getHost() + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }

    /** {@code scheme://host[:port]} of a link. */
    static URI origin(URI link) {
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return URI.create(scheme + "://" + link.getRawAuthority());
    }

    /**
     * An absolute URI on {@code origin} for a path (and query) taken from a page or a JSON
     * answer, which may hold characters a URI must not (Chinese names, spaces). Existing
     * {@code %XX} escapes are kept.
     */
    static URI onOrigin(URI origin, String pathAndQuery) {
        String p = pathAndQuery.startsWith("/") ? pathAndQuery : "/" + pathAndQuery;
        StringBuilder out = new StringBuilder(p.length() + 16);
        for (byte b : p.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xFF;
            boolean legal = c > 0x20 && c < 0x7F && "\"<>\\^`{|}".indexOf(c) < 0;
            if (c == '%') {
                legal = true;
            }
            if (legal) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        String s = out.toString();
        // A stray % not followed by two hex digits would make the URI invalid.
        s = s.replaceAll("%(?![0-9A-Fa-f]{2})", "%25");
        int hash = s.indexOf('#');
        if (hash >= 0) {
            s = s.substring(0, hash);
        }
        return URI.create(origin.toString() + s);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
