package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The login fields daolv computes in its page; expected values computed with md5sum and base64. */
class DaolvLoginEncodingTest {

    @Test
    void md5IsLowerCaseHex() {
        assertEquals("e10adc3949ba59abbe56e057f20f883e", DaolvAdapter.md5Hex("123456"));
        assertEquals("d2c809cf3e7fede87c114459fb0277fb", DaolvAdapter.md5Hex("Abc@2026"));
    }

    @Test
    void loginPasswordIsMd5OfMd5PlusSalt() {
        // md5("e10adc3949ba59abbe56e057f20f883e" + "1715000000000")
        assertEquals("8594079d0ebe245e477471a17924d1e5", DaolvAdapter.loginPassword("123456", "1715000000000"));
        assertEquals("879e256e9a474c90ba02874e4e9ab147", DaolvAdapter.loginPassword("Abc@2026", "1"));
    }

    @Test
    void userCodeIsUrlSafeBase64WithoutPadding() {
        assertEquals("NDIwMTAyMjAyNjA1MDAwMTIz", DaolvAdapter.userCode("420102202605000123"));
        // standard Base64 "MzYwMTAyMjAyNjA1MDAwMTI=": the padding goes
        assertEquals("MzYwMTAyMjAyNjA1MDAwMTI", DaolvAdapter.userCode("36010220260500012"));
        // standard Base64 "Pj4+Pz8=": + and / become - and _
        assertEquals("Pj4-Pz8", DaolvAdapter.userCode(">>>??"));
        assertFalse(DaolvAdapter.userCode("账号").contains("="));
    }
}
