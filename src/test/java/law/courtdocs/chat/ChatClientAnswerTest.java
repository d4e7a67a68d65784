package law.courtdocs.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The vendors answer HTTP 200 for refusals: success is their own code. */
class ChatClientAnswerTest {

    @Test
    void successIsTheVendorsCodeNotTheHttpStatus() {
        assertTrue(ChatClient.answer(ChatKind.FEISHU, 200, "{\"StatusCode\":0,\"code\":0,\"msg\":\"success\"}").delivered());
        assertTrue(ChatClient.answer(ChatKind.FEISHU, 200, "{\"StatusCode\":0,\"StatusMessage\":\"success\"}").delivered());
        ChatClient.Result sign = ChatClient.answer(ChatKind.FEISHU, 200, "{\"code\":19021,\"msg\":\"sign match fail\"}");
        assertFalse(sign.delivered());
        assertEquals("feishu answered HTTP 200, code 19021: sign match fail", sign.error());
        assertTrue(ChatClient.answer(ChatKind.DINGTALK, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}").delivered());
        assertFalse(ChatClient.answer(ChatKind.DINGTALK, 200, "{\"errcode\":310000,\"errmsg\":\"sign not match\"}").delivered());
        assertFalse(ChatClient.answer(ChatKind.WECOM, 200, "{\"errcode\":93000,\"errmsg\":\"invalid webhook url\"}").delivered());
        assertFalse(ChatClient.answer(ChatKind.WECOM, 502, "<html>bad gateway</html>").delivered());
        assertFalse(ChatClient.answer(ChatKind.WECOM, 200, "").delivered(), "no code is no success");
        assertTrue(ChatClient.answer(ChatKind.TELEGRAM, 200, "{\"ok\":true,\"result\":{}}").delivered());
        ChatClient.Result tg = ChatClient.answer(ChatKind.TELEGRAM, 429,
                "{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 5\"}");
        assertEquals("telegram answered HTTP 429, code 429: Too Many Requests: retry after 5", tg.error());
    }
}
