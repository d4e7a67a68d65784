package law.courtdocs.chat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The Chinese text a chat group reads for one event: what happened, the court, case number and
 * the firm's case reference, each document's title with a link. Plain text on purpose: every
 * vendor shows it as is, and titles or SMS parts (untrusted) cannot turn into markup there.
 */
public final class ChatText {

    private static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** What the text is made from: the event, and for {@code job.succeeded} the job's documents. */
    public record Event(String type, String caseRef, UUID jobId, Map<String, Object> data) {}

    /** A stored document as the text names it. */
    public record Doc(UUID id, String title, String fileName, String court, String caseNumber) {}

    private ChatText() {}

    /**
     * @param publicBaseUrl where people open the service ({@code court.notifications.public-base-url});
     *                      without it, links are the API paths alone
     */
    public static String render(Event event, List<Doc> docs, Optional<String> publicBaseUrl) {
        String base = publicBaseUrl.map(u -> u.endsWith("/") ? u.substring(0, u.length() - 1) : u).orElse("");
        Map<String, Object> d = event.data() == null ? Map.of() : event.data();
        StringBuilder text = new StringBuilder("【法院文书】");
        switch (event.type()) {
            case "document.stored" -> {
                text.append("收到新文书\n");
                facts(text, str(d, "court"), str(d, "caseNumber"), event.caseRef());
                line(text, "文书", title(str(d, "title"), str(d, "fileName")));
                line(text, "查看", base + "/api/v1/documents/" + str(d, "documentId") + "/content");
            }
            case "job.succeeded" -> {
                text.append("文书下载完成，共 ").append(docs.size()).append(" 份\n");
                Doc first = docs.stream().filter(x -> x.court() != null || x.caseNumber() != null).findFirst().orElse(null);
                facts(text, first == null ? null : first.court(), first == null ? null : first.caseNumber(), event.caseRef());
                int n = 1;
                for (Doc doc : docs) {
                    text.append(n++).append(". ").append(title(doc.title(), doc.fileName())).append("\n   ")
                            .append(base).append("/api/v1/documents/").append(doc.id()).append("/content\n");
                }
            }
            case "job.waiting_for_captcha" -> {
                text.append("需要人工输入验证码，下载正在等待\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
                line(text, "输入验证码", base + Optional.ofNullable(str(d, "captchaUrl"))
                        .orElse("/api/v1/jobs/" + event.jobId() + "/captcha"));
            }
            case "job.failed" -> {
                text.append("文书下载失败\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
                line(text, "原因", join(str(d, "errorCode"), str(d, "errorMessage")));
            }
            case "job.retry_scheduled" -> {
                text.append("下载暂未成功，稍后自动重试\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
                line(text, "原因", join(str(d, "errorCode"), str(d, "errorMessage")));
                line(text, "下次尝试", time(str(d, "nextAttemptAt")));
            }
            case "job.queued" -> {
                text.append("已收到下载任务\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
            }
            case "job.running" -> {
                text.append("正在下载文书\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
            }
            case "job.cancelled" -> {
                text.append("下载任务已取消\n");
                facts(text, null, null, event.caseRef());
                line(text, "门户", str(d, "portal"));
            }
            case "sms.received" -> {
                text.append("收到法院短信\n");
                Object numbers = d.get("caseNumbers");
                String caseNumbers = numbers instanceof List<?> l && !l.isEmpty()
                        ? String.join("、", l.stream().map(String::valueOf).toList()) : null;
                facts(text, str(d, "court"), caseNumbers, event.caseRef());
                Object links = d.get("links");
                line(text, "链接", links instanceof List<?> l ? l.size() + " 个" : null);
            }
            default -> text.append(event.type()).append("\n");
        }
        if (event.jobId() != null) {
            line(text, "任务", base + "/api/v1/jobs/" + event.jobId());
        }
        return text.toString().stripTrailing();
    }

    /**
     * {@code text} cut to at most {@code maxBytes} of UTF-8 (a vendor's limit), ending in "…" when
     * cut; never splits a character.
     */
    public static String fit(String text, int maxBytes) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return text;
        }
        int budget = maxBytes - "…".getBytes(StandardCharsets.UTF_8).length;
        int used = 0;
        int i = 0;
        while (i < text.length()) {
            int cp = text.codePointAt(i);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + size > budget) {
                break;
            }
            used += size;
            i += Character.charCount(cp);
        }
        return text.substring(0, i) + "…";
    }

    private static void facts(StringBuilder text, String court, String caseNumber, String caseRef) {
        line(text, "法院", court);
        line(text, "案号", caseNumber);
        line(text, "案件", caseRef);
    }

    private static void line(StringBuilder text, String label, String value) {
        if (value != null && !value.isBlank()) {
            text.append(label).append("：").append(value).append("\n");
        }
    }

    private static String title(String title, String fileName) {
        return title != null && !title.isBlank() ? title : fileName;
    }

    private static String join(String code, String message) {
        if (code == null) {
            return message;
        }
        return message == null ? code : code + " " + message;
    }

    private static String time(String iso) {
        if (iso == null) {
            return null;
        }
        try {
            return TIME.format(Instant.parse(iso).atZone(CHINA)) + "（北京时间）";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    private static String str(Map<String, Object> data, String key) {
        Object v = data.get(key);
        return v == null ? null : String.valueOf(v);
    }
}
