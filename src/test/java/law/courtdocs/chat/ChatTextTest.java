package law.courtdocs.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChatTextTest {

    static final UUID JOB = UUID.fromString("6f1c0f9e-0000-4000-8000-000000000001");
    static final UUID DOC = UUID.fromString("6f1c0f9e-0000-4000-8000-0000000000d1");

    @Test
    void aStoredDocumentNamesCourtCaseNumberCaseAndLinksToItsContent() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("documentId", DOC.toString());
        data.put("title", "民事判决书");
        data.put("court", "广州市天河区人民法院");
        data.put("caseNumber", "（2026）粤0106民初1234号");
        String text = ChatText.render(new ChatText.Event("document.stored", "张三诉李四", JOB, data), List.of(),
                Optional.of("https://docs.firm.cn/"));
        assertEquals("""
                【法院文书】收到新文书
                法院：广州市天河区人民法院
                案号：（2026）粤0106民初1234号
                案件：张三诉李四
                文书：民事判决书
                查看：https://docs.firm.cn/api/v1/documents/6f1c0f9e-0000-4000-8000-0000000000d1/content
                任务：https://docs.firm.cn/api/v1/jobs/6f1c0f9e-0000-4000-8000-000000000001""", text);
    }

    @Test
    void aFinishedJobListsEveryDocumentAndMissingFactsLeaveNoEmptyLines() {
        List<ChatText.Doc> docs = List.of(new ChatText.Doc(DOC, "传票", "传票.pdf", null, null),
                new ChatText.Doc(UUID.randomUUID(), null, "举证通知书.pdf", null, null));
        String text = ChatText.render(new ChatText.Event("job.succeeded", null, JOB, Map.of()), docs, Optional.empty());
        assertTrue(text.startsWith("【法院文书】文书下载完成，共 2 份\n1. 传票\n   /api/v1/documents/" + DOC + "/content\n2. 举证通知书.pdf"), text);
        assertFalse(text.contains("法院：") || text.contains("案件：") || text.contains("：\n"), text);
    }

    @Test
    void aCaptchaWaitSaysSoAndLinksToTheCaptcha() {
        String text = ChatText.render(new ChatText.Event("job.waiting_for_captcha", "R-1", JOB,
                Map.of("portal", "daolv", "captchaUrl", "/api/v1/jobs/" + JOB + "/captcha")), List.of(),
                Optional.of("https://docs.firm.cn"));
        assertTrue(text.contains("需要人工输入验证码"), text);
        assertTrue(text.contains("输入验证码：https://docs.firm.cn/api/v1/jobs/" + JOB + "/captcha"), text);
    }

    @Test
    void retryTimesAreShownInBeijingTime() {
        String text = ChatText.render(new ChatText.Event("job.retry_scheduled", null, JOB,
                Map.of("portal", "gdems", "errorCode", "PORTAL_UNAVAILABLE", "nextAttemptAt", "2026-12-08T01:30:00Z")),
                List.of(), Optional.empty());
        assertTrue(text.contains("原因：PORTAL_UNAVAILABLE"), text);
        assertTrue(text.contains("下次尝试：2026-12-08 09:30（北京时间）"), text);
    }

    @Test
    void fitCutsToTheVendorsByteLimitWithoutSplittingACharacter() {
        String text = "判".repeat(1000) + "😀".repeat(10); // 3000 + 40 bytes
        String fitted = ChatText.fit(text, 2048);
        byte[] bytes = fitted.getBytes(StandardCharsets.UTF_8);
        assertTrue(bytes.length <= 2048, "bytes: " + bytes.length);
        assertTrue(bytes.length > 2040, "uses the room it has: " + bytes.length);
        assertTrue(fitted.endsWith("…"));
        assertEquals(fitted, new String(bytes, StandardCharsets.UTF_8), "valid UTF-8");
        assertEquals("短", ChatText.fit("短", 2048));
        String emoji = ChatText.fit("a" + "😀".repeat(10), 10); // budget 7 bytes: a + one emoji
        assertEquals("a😀…", emoji);
    }
}
