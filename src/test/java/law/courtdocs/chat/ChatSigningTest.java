package law.courtdocs.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Expected values computed with openssl, not with this code (see each test). */
class ChatSigningTest {

    @Test
    void feishuKeysTheHmacWithTimestampNewlineSecretOverAnEmptyMessage() {
        // printf '' | openssl dgst -sha256 -hmac "$(printf '1599360473\nSEC-feishu-例')" -binary | base64
        assertEquals("39yjAhcf8weX6qwxpJAMYZV2WgdqPlyn8O3x0V/Bwvs=", ChatSigning.feishu(1599360473L, "SEC-feishu-例"));
        assertNotEquals(ChatSigning.feishu(1599360473L, "SEC-feishu-例"), ChatSigning.feishu(1599360474L, "SEC-feishu-例"));
    }

    @Test
    void dingtalkKeysTheHmacWithTheSecretOverMillisNewlineSecret() {
        // printf '1599360473000\nSECdingtalk' | openssl dgst -sha256 -hmac SECdingtalk -binary | base64
        assertEquals("wGdouu6Tt4otb0ad6CYr8MaItKlr9p1WnKrsYA1c7r8=", ChatSigning.dingtalk(1599360473000L, "SECdingtalk"));
    }
}
