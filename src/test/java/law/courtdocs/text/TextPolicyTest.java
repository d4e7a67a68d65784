package law.courtdocs.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import law.courtdocs.text.TextPolicy.Lines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TextPolicyTest {

    @ParameterizedTest
    @ValueSource(strings = {"（2026）粤0106民初1234号", "张三诉李四买卖合同纠纷", "CMS-4711", "emoji 😀 pair", "\u202e rtl mark",
            "ｆｕｌｌｗｉｄｔｈ", "", " ", "a\u00a0b"})
    void ordinaryTextIncludingChineseAndSurrogatePairsIsTaken(String text) {
        assertNull(TextPolicy.problem(text, Lines.SINGLE));
        assertSame(text, TextPolicy.clean(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\u0000b", "tab\there", "line\nbreak", "\r", "del\u007f", "nel\u0085", "c1\u009f", "\ud800",
            "lone low \udc00", "reversed \udc00\ud800", "nonchar \uffff", "nonchar \ufffe", "\ufdd0", "\ud83f\udffe"})
    void controlsLoneSurrogatesAndNoncharactersAreRefusedOnOneLine(String text) {
        String problem = TextPolicy.problem(text, Lines.SINGLE);
        assertNotNull(problem, text);
        assertTrue(problem.matches("holds .* U\\+[0-9A-F]{4,6} at position \\d+.*"), problem);
    }

    @Test
    void theMessageNamesTheCharacterAndWhereButNeverTheValue() {
        String problem = TextPolicy.problem("secret\u0000password", Lines.SINGLE);
        assertEquals("holds the control character U+0000 at position 6", problem);
    }

    @Test
    void multiLineTextKeepsTabsAndLineBreaksButNothingElse() {
        assertNull(TextPolicy.problem("【法院】第一行\r\n第二行\t完", Lines.MULTI));
        assertNotNull(TextPolicy.problem("第一行\u0000", Lines.MULTI));
        assertNotNull(TextPolicy.problem("\u000b", Lines.MULTI));
        assertNotNull(TextPolicy.problem("\ud800", Lines.MULTI));
    }

    @Test
    void cleaningDropsControlsTurnsBreaksIntoSpacesAndMarksLoneSurrogates() {
        assertEquals("民事判决书", TextPolicy.clean("民事\u0000判决书"));
        assertEquals("第一行 第二行", TextPolicy.clean("第一行\n第二行"));
        assertEquals("传票\uFFFD.pdf", TextPolicy.clean("传票\ud800.pdf"));
        assertEquals("a\uFFFDb", TextPolicy.clean("a\udc00b"));
        assertEquals("ok😀", TextPolicy.clean("ok😀\uffff"));
        assertEquals("行1\n行2", TextPolicy.clean("行1\n行2\u0000", Lines.MULTI));
        assertNull(TextPolicy.clean(null));
        for (String s : new String[] {"x\u0000\ud800\u0085\n\uffff", "\udc00\udc00"}) {
            assertTrue(TextPolicy.acceptable(TextPolicy.clean(s), Lines.SINGLE), s);
        }
    }
}
