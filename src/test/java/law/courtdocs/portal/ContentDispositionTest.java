package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentDispositionTest {

    static final String NAME = "（2026）鄂0102民初1234号传票.pdf";
    static final String ENCODED =
            "%EF%BC%882026%EF%BC%89%E9%84%820102%E6%B0%91%E5%88%9D1234%E5%8F%B7%E4%BC%A0%E7%A5%A8.pdf";

    /** What the HTTP client hands over for raw header bytes: one char per byte. */
    static String onTheWire(String s, Charset charset) {
        return new String(s.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    @Test
    void rfc5987() {
        assertEquals(NAME, ContentDisposition.fileName("attachment; filename*=UTF-8''" + ENCODED));
        assertEquals(NAME, ContentDisposition.fileName("attachment;filename*=utf-8'zh-CN'" + ENCODED));
    }

    @Test
    void extendedWinsOverPlainWhicheverComesFirst() {
        assertEquals(NAME, ContentDisposition.fileName(
                "attachment; filename=\"fallback.pdf\"; filename*=UTF-8''" + ENCODED));
        assertEquals(NAME, ContentDisposition.fileName(
                "attachment; filename*=UTF-8''" + ENCODED + "; filename=\"fallback.pdf\""));
    }

    @Test
    void percentEncodedPlainName() {
        assertEquals(NAME, ContentDisposition.fileName("attachment; filename=\"" + ENCODED + "\""));
        assertEquals(NAME, ContentDisposition.fileName("attachment;filename=" + ENCODED));
    }

    @Test
    void rawUtf8AndGbkBytes() {
        assertEquals(NAME, ContentDisposition.fileName(
                "attachment; filename=\"" + onTheWire(NAME, StandardCharsets.UTF_8) + "\""));
        assertEquals(NAME, ContentDisposition.fileName(
                "attachment; filename=\"" + onTheWire(NAME, Charset.forName("GBK")) + "\""));
        assertEquals("传票.pdf", ContentDisposition.fileName(
                "attachment; filename=" + onTheWire("传票.pdf", Charset.forName("GBK"))));
    }

    @Test
    void extendedValueInGbk() {
        assertEquals("传票.pdf", ContentDisposition.fileName("attachment; filename*=GBK''%B4%AB%C6%B1.pdf"));
    }

    @Test
    void plainAsciiQuotedWithSemicolonAndEscapes() {
        assertEquals("a;b \"c\".pdf", ContentDisposition.fileName("inline; filename=\"a;b \\\"c\\\".pdf\""));
        assertEquals("judgment.pdf", ContentDisposition.fileName("attachment; FILENAME=judgment.pdf"));
    }

    @Test
    void plusStaysAPlus() {
        assertEquals("a+b.pdf", ContentDisposition.fileName("attachment; filename=\"a+b.pdf\""));
    }

    @Test
    void noName() {
        assertNull(ContentDisposition.fileName(null));
        assertNull(ContentDisposition.fileName(""));
        assertNull(ContentDisposition.fileName("attachment"));
        assertNull(ContentDisposition.fileName("attachment; filename=\"\""));
    }

    @Test
    void brokenExtendedValueFallsBackToPlain() {
        // %FF%FE is neither UTF-8 nor GBK text
        assertEquals("fallback.pdf", ContentDisposition.fileName(
                "attachment; filename*=UTF-8''%FF%FE; filename=\"fallback.pdf\""));
    }
}
