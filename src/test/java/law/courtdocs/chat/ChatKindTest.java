package law.courtdocs.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatKindTest {

    @Test
    void eachVendorTakesOnlyItsOwnRobotAddressOverHttps() {
        assertTrue(ChatKind.FEISHU.urlProblem("https://open.feishu.cn/open-apis/bot/v2/hook/2d8f1e0a-7c1b-4d5e-9f00-1234567890ab", true).isEmpty());
        assertTrue(ChatKind.FEISHU.urlProblem("https://open.larksuite.com/open-apis/bot/v2/hook/abcdefgh1234", true).isEmpty());
        assertTrue(ChatKind.DINGTALK.urlProblem("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123", true).isEmpty());
        assertTrue(ChatKind.WECOM.urlProblem("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa", true).isEmpty());

        for (String refused : List.of(
                "http://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234",          // not https
                "https://open.feishu.cn.evil.example/open-apis/bot/v2/hook/abcdefgh", // look-alike host
                "https://open.feishu.cn:8443/open-apis/bot/v2/hook/abcdefgh1234",     // a port
                "https://user@open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234",     // user info
                "https://open.feishu.cn/open-apis/bot/v2/hook/../../admin",           // not a token
                "https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234?x=1",      // a query Feishu does not use
                "https://oapi.dingtalk.com/robot/send?access_token=short",
                "not a url at all")) {
            assertTrue(ChatKind.FEISHU.urlProblem(refused, true).isPresent()
                    || refused.contains("dingtalk") && ChatKind.DINGTALK.urlProblem(refused, true).isPresent(), refused);
        }
        assertTrue(ChatKind.DINGTALK.urlProblem("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123&x=1", true).isPresent());
        assertTrue(ChatKind.WECOM.urlProblem("https://qyapi.weixin.qq.com/cgi-bin/webhook/send", true).isPresent(), "no key");
        assertTrue(ChatKind.DINGTALK.urlProblem("https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234", true).isPresent(),
                "another vendor's address");
        assertTrue(ChatKind.FEISHU.urlProblem("http://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234", false).isEmpty(),
                "plain http only when https is not required (tests)");
        assertTrue(ChatKind.FEISHU.urlProblem("ftp://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234", false).isPresent());
    }

    @Test
    void theDisplayFormHidesTheToken() {
        assertEquals("https://oapi.dingtalk.com/robot/send?access_token=…",
                ChatKind.DINGTALK.display("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123"));
        assertFalse(ChatKind.FEISHU.display("https://open.feishu.cn/open-apis/bot/v2/hook/abcdefgh1234").contains("abcdefgh1234"));
    }

    @Test
    void telegramTokensAndChatIds() {
        assertTrue(ChatKind.isBotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"));
        assertFalse(ChatKind.isBotToken("123456789"));
        assertFalse(ChatKind.isBotToken("123:abc/../x"));
        assertTrue(ChatKind.isChatId("-1001234567890"));
        assertTrue(ChatKind.isChatId("@court_docs_group"));
        assertFalse(ChatKind.isChatId("12 34"));
        assertFalse(ChatKind.TELEGRAM.byUrl());
        assertTrue(ChatKind.FEISHU.signed() && ChatKind.DINGTALK.signed() && !ChatKind.WECOM.signed());
    }
}
