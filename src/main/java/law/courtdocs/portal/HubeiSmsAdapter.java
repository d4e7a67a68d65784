package law.courtdocs.portal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.job.ErrorCode;

/**
 * Hubei's public SMS links ({@code http://dzsd.hbfy.gov.cn/hb/msg=<code>}): the code alone
 * opens the delivery through a JSON API, sometimes behind a captcha. Plain HTTP, no browser.
 * See shared/portals.md, section daolv, "Hubei public SMS mode".
 *
 * <p>The API's answers are assumed to be wrapped as {@code {"code":200,"msg":"…","data":{…}}}
 * (how a public download tool reads them); an unwrapped object is read the same way. A
 * {@code code} other than 200 is the portal refusing: a message about the captcha (验证码…) means
 * a wrong or stale answer, anything else (短信已过期, 短信信息不存在) means the link is dead.
 *
 * <p>The delivery code is as good as a password to the documents: it is never logged and never
 * part of an error message (it only travels in request bodies, so request paths are safe to name).
 */
@ApplicationScoped
public class HubeiSmsAdapter implements PortalAdapter {

    static final String HOST = "dzsd.hbfy.gov.cn";
    static final int MAX_CAPTCHA_ANSWERS = 5;
    static final String FIND = "/delimobile/tDeliSms/findSmsInfo";
    static final String CAPTCHA = "/delimobile/loginCaptcha";
    /** The mobile page the API belongs to; the API is called from there. */
    static final String MOBILE_UI = "/deli-mobile-ui/";

    private static final Pattern LINK_PATH = Pattern.compile("^/hb/msg=([A-Za-z0-9_-]+)/?$");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one findSmsInfo answer means for the next step. */
    enum Outcome {
        /** Documents with download paths: fetch them. */
        DOCUMENTS,
        /** A captcha is wanted, or the answer given was wrong. */
        CAPTCHA,
        /** The link is invalid or expired. */
        EXPIRED,
        /** Accepted, but nothing to download. */
        EMPTY
    }

    @Override
    public String id() {
        return "hubei-sms";
    }

    @Override
    public boolean handles(URI link) {
        if (link == null || link.getScheme() == null || link.getHost() == null || link.getRawPath() == null) {
            return false;
        }
        String scheme = link.getScheme().toLowerCase(Locale.ROOT);
        return (scheme.equals("http") || scheme.equals("https"))
                && link.getHost().toLowerCase(Locale.ROOT).equals(HOST)
                && LINK_PATH.matcher(link.getRawPath()).matches();
    }

    @Override
    public void download(PortalSession session) throws PortalException {
        Matcher m = LINK_PATH.matcher(session.link().getRawPath() == null ? "" : session.link().getRawPath());
        if (!m.matches()) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "hubei-sms: the link carries no message code");
        }
        String code = m.group(1);
        URI origin = PortalHttp.origin(session.link());
        PortalHttp http = new PortalHttp(session, "hubei-sms");
        Map<String, String> headers = Map.of(
                "Referer", origin + MOBILE_UI,
                "Accept", "application/json, text/plain, */*");

        JsonNode answer;
        Outcome outcome;
        java.util.Optional<PortalSession.Resume> resume = session.resume();
        if (resume.isPresent() && resume.get().session().value("uuid") != null) {
            // The parked attempt fetched the captcha; its uuid (and cookies, should the portal
            // tie it to them) say which image the person's answer is for.
            http.restoreCookies(resume.get().session().cookies());
            String given = resume.get().answer() == null ? "" : resume.get().answer().strip();
            answer = find(http, origin, headers, code, given, resume.get().session().value("uuid"));
            outcome = outcome(answer, true);
            if (outcome == Outcome.CAPTCHA) {
                Log.info("hubei-sms: the answer to the parked captcha was not accepted; asking again");
            }
        } else {
            answer = find(http, origin, headers, code, null, null);
            outcome = outcome(answer, false);
        }
        int attempt = 0;
        while (outcome == Outcome.CAPTCHA) {
            if (++attempt > MAX_CAPTCHA_ANSWERS) {
                throw new PortalException(ErrorCode.LOGIN_FAILED,
                        "hubei-sms: captcha answered wrong " + MAX_CAPTCHA_ANSWERS + " times");
            }
            Captcha captcha = captcha(http, origin, headers);
            String solved = session.solveCaptcha(captcha.image(),
                    new ParkedSession(http.saveCookies(), Map.of("uuid", captcha.uuid())));
            solved = solved == null ? "" : solved.strip();
            if (solved.isEmpty()) {
                continue;
            }
            answer = find(http, origin, headers, code, solved, captcha.uuid());
            outcome = outcome(answer, true);
            if (outcome == Outcome.CAPTCHA) {
                Log.infof("hubei-sms: captcha answer %d of %d not accepted", attempt, MAX_CAPTCHA_ANSWERS);
            }
        }
        switch (outcome) {
            case EXPIRED -> throw new PortalException(ErrorCode.LINK_EXPIRED, "hubei-sms: " + portalMessage(answer,
                    "the message is unknown or expired"));
            case EMPTY -> throw new PortalException(ErrorCode.NO_DOCUMENTS, "hubei-sms: the message lists no documents");
            default -> { }
        }
        List<JsonNode> docs = downloadable(data(answer));
        Log.infof("hubei-sms: %d documents listed", docs.size());
        int number = 0;
        for (JsonNode doc : docs) {
            fetch(session, http, origin, headers, doc, ++number);
        }
    }

    private static JsonNode find(PortalHttp http, URI origin, Map<String, String> headers, String code, String captcha,
            String uuid) throws PortalException {
        ObjectNode body = JSON.createObjectNode().put("msg", code);
        if (captcha != null) {
            body.put("code", captcha).put("uuid", uuid);
        }
        URI uri = origin.resolve(FIND + "?t=" + System.currentTimeMillis());
        return json(http.postJson(uri, body.toString(), headers), "findSmsInfo");
    }

    record Captcha(byte[] image, String uuid) {}

    /**
     * portals.md says GET; a public tool POSTs, so a 405 to the GET is answered with a POST
     * rather than failing the job.
     */
    private static Captcha captcha(PortalHttp http, URI origin, Map<String, String> headers) throws PortalException {
        URI uri = origin.resolve(CAPTCHA + "?t=" + System.currentTimeMillis());
        HttpResponse<byte[]> response = http.exchange(http.builder(uri, headers).GET());
        if (response.statusCode() == 405) {
            response = http.exchange(http.builder(uri, headers).POST(HttpRequest.BodyPublishers.noBody()));
        }
        http.check(response);
        JsonNode answer = json(response, "loginCaptcha");
        JsonNode holder = answer.path("data").isObject() ? answer.path("data") : answer;
        String img = holder.path("img").asText("");
        String uuid = holder.path("uuid").asText("");
        if (img.isBlank() || uuid.isBlank()) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "hubei-sms: the captcha answer has no img or uuid");
        }
        return new Captcha(decodeImage(img), uuid);
    }

    /** Base64 image, with or without a {@code data:image/png;base64,} prefix. */
    static byte[] decodeImage(String img) throws PortalException {
        String b64 = img.strip();
        int comma = b64.indexOf(',');
        if (b64.startsWith("data:") && comma > 0) {
            b64 = b64.substring(comma + 1);
        }
        try {
            return Base64.getMimeDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "hubei-sms: the captcha image is not Base64");
        }
    }

    private static JsonNode json(HttpResponse<byte[]> response, String what) throws PortalException {
        try {
            JsonNode node = JSON.readTree(response.body());
            if (node != null && node.isObject()) {
                return node;
            }
        } catch (IOException e) {
            // falls through: the same failure as a non-object answer
        }
        throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "hubei-sms: the " + what + " answer is not a JSON object");
    }

    /**
     * Reads one findSmsInfo answer. Before any captcha, "no download path" means "captcha
     * wanted" (portals.md); after one, only {@code isNeedCaptcha:"Y"} or a captcha message does.
     */
    static Outcome outcome(JsonNode answer, boolean captchaSent) {
        JsonNode status = answer.path("code");
        if (!status.isMissingNode() && !status.isNull() && !status.asText().equals("200")) {
            return portalMessage(answer, "").contains("验证码") ? Outcome.CAPTCHA : Outcome.EXPIRED;
        }
        JsonNode data = data(answer);
        boolean needCaptcha = "Y".equalsIgnoreCase(data.path("isNeedCaptcha").asText(""));
        if (!needCaptcha && !downloadable(data).isEmpty()) {
            return Outcome.DOCUMENTS;
        }
        if (needCaptcha || !captchaSent) {
            return Outcome.CAPTCHA;
        }
        return Outcome.EMPTY;
    }

    private static JsonNode data(JsonNode answer) {
        JsonNode data = answer.path("data");
        return data.isObject() ? data : answer;
    }

    private static List<JsonNode> downloadable(JsonNode data) {
        JsonNode list = data.path("docList");
        List<JsonNode> docs = new ArrayList<>();
        if (list.isObject()) {
            docs.add(list);
        } else if (list.isArray()) {
            list.forEach(docs::add);
        }
        docs.removeIf(d -> !d.isObject() || d.path("downloadPath").asText("").isBlank());
        return docs;
    }

    private static String portalMessage(JsonNode answer, String fallback) {
        String msg = answer.path("msg").asText("");
        if (msg.isBlank()) {
            msg = answer.path("message").asText("");
        }
        return msg.isBlank() ? fallback : msg.strip();
    }

    private static void fetch(PortalSession session, PortalHttp http, URI origin, Map<String, String> headers,
            JsonNode doc, int number) throws PortalException {
        String downloadPath = doc.path("downloadPath").asText().strip();
        URI uri = documentUri(origin, downloadPath);
        Path target = session.workDir().resolve("hubei-sms-" + number + ".download");
        http.download(uri, target, Map.of("Referer", headers.get("Referer")));
        try {
            if (Files.size(target) == 0) {
                throw new PortalException(ErrorCode.PORTAL_ERROR, "hubei-sms: document " + number + " was empty");
            }
        } catch (IOException e) {
            throw new PortalException(ErrorCode.INTERNAL, "hubei-sms: cannot read document " + number, e);
        }
        String title = doc.path("docName").asText("").strip();
        String name = fileName(title, doc.path("pdfPath").asText(""));
        session.accept(new DownloadedFile(target, name, title.isEmpty() ? null : title, null, downloadPath));
    }

    /**
     * {@code /delimobile} + downloadPath. An absolute URL is followed only on the portal's own
     * host: a JSON answer must not send the worker anywhere else.
     */
    static URI documentUri(URI origin, String downloadPath) throws PortalException {
        String lower = downloadPath.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            URI absolute;
            try {
                absolute = URI.create(downloadPath);
            } catch (IllegalArgumentException e) {
                throw new PortalException(ErrorCode.UNSUPPORTED_PAGE, "hubei-sms: a download path is not a valid URL");
            }
            if (absolute.getHost() == null || !absolute.getHost().equalsIgnoreCase(origin.getHost())) {
                throw new PortalException(ErrorCode.UNSAFE_CONTENT, "hubei-sms: a document points outside the portal");
            }
            return absolute;
        }
        String path = downloadPath.startsWith("/") ? downloadPath : "/" + downloadPath;
        return PortalHttp.onOrigin(origin, "/delimobile" + path);
    }

    /** docName plus the extension of pdfPath (pdf when it has none); docName already ending in it is kept. */
    static String fileName(String docName, String pdfPath) {
        String last = pdfPath == null ? "" : pdfPath.substring(Math.max(pdfPath.lastIndexOf('/'), pdfPath.lastIndexOf('\\')) + 1);
        int q = last.indexOf('?');
        if (q >= 0) {
            last = last.substring(0, q);
        }
        int dot = last.lastIndexOf('.');
        String ext = dot >= 0 && dot < last.length() - 1 ? last.substring(dot + 1) : "pdf";
        String title = docName == null || docName.isBlank() ? "送达文书" : docName.strip();
        if (title.toLowerCase(Locale.ROOT).endsWith("." + ext.toLowerCase(Locale.ROOT))) {
            return FileNames.sanitize(title);
        }
        return FileNames.withExtension(title, ext);
    }
}
