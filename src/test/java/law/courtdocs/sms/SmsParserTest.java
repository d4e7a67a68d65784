package law.courtdocs.sms;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import law.courtdocs.portal.PortalCredentials;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** {@link SmsParser} against the message corpus in {@code src/test/resources/sms/corpus.yaml}, plus tricky cases. */
class SmsParserTest {

    static final String CORPUS = "/sms/corpus.yaml";
    static final Set<String> KEYS = Set.of("id", "sms", "links", "cases", "court", "code", "account", "password", "filing");

    static final String GDEMS = "https://sd.gdems.com/v3/dzsd/Ab12Cd";
    static final String ZXFW = "https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index"
            + "?qdbh=a70b6efa2d1168e8ba795fe363840aec&sdbh=85a8175114ea61417716a9aa2d906557"
            + "&sdsin=e17a3b5bb01d567c929fdd6c43693a08";

    final SmsParser parser = new SmsParser();

    // ------------------------------------------------------------------ corpus

    static List<Map<String, Object>> corpus() {
        try (InputStream in = SmsParserTest.class.getResourceAsStream(CORPUS)) {
            assertNotNull(in, CORPUS + " missing");
            Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
            List<Map<String, Object>> entries = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
            assertNotNull(entries, "empty corpus");
            return entries;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static Stream<Arguments> messages() {
        return corpus().stream().map(e -> Arguments.of(Named.of(String.valueOf(e.get("id")), e)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("messages")
    void parsesCorpusMessage(Map<String, Object> entry) {
        assertEquals(KEYS, entry.keySet(), "every corpus entry must state every field");
        String sms = (String) entry.get("sms");
        ParsedSms parsed = parser.parse(sms);

        List<String> links = parsed.links().stream().map(l -> l.portal().id() + " " + l.url()).toList();
        assertAll(
                () -> assertEquals(strings(entry.get("links")), links, "links"),
                () -> assertEquals(strings(entry.get("cases")), parsed.caseNumbers(), "case numbers"),
                () -> assertEquals(entry.get("court"), parsed.court(), "court"),
                () -> assertEquals(entry.get("code"), parsed.verificationCode(), "verification code"),
                () -> assertEquals(entry.get("account"), parsed.account(), "account"),
                () -> assertEquals(entry.get("password"), parsed.password(), "password"),
                () -> assertEquals(entry.get("filing"), parsed.filingNotice(), "filing notice"));
    }

    @Test
    void corpusIsLargeVariedAndWellFormed() {
        List<Map<String, Object>> corpus = corpus();
        assertTrue(corpus.size() >= 45, "corpus has only " + corpus.size() + " messages");

        Set<String> ids = new HashSet<>();
        Set<SmsPortal> portals = EnumSet.noneOf(SmsPortal.class);
        int withCode = 0, withAccount = 0, withPassword = 0, filings = 0, twoLinks = 0, noLink = 0;
        for (Map<String, Object> e : corpus) {
            assertTrue(ids.add(String.valueOf(e.get("id"))), "duplicate id " + e.get("id"));
            assertTrue(e.get("sms") instanceof String, "sms must be a string in " + e.get("id"));
            List<String> links = strings(e.get("links"));
            for (String link : links) {
                String id = link.substring(0, link.indexOf(' '));
                portals.add(Arrays.stream(SmsPortal.values()).filter(p -> p.id().equals(id)).findFirst()
                        .orElseThrow(() -> new AssertionError("unknown portal " + id + " in " + e.get("id"))));
            }
            withCode += e.get("code") != null ? 1 : 0;
            withAccount += e.get("account") != null ? 1 : 0;
            withPassword += e.get("password") != null ? 1 : 0;
            filings += Boolean.TRUE.equals(e.get("filing")) ? 1 : 0;
            twoLinks += links.size() >= 2 ? 1 : 0;
            noLink += links.isEmpty() ? 1 : 0;
        }
        assertEquals(EnumSet.allOf(SmsPortal.class), portals, "every portal appears in the corpus");
        assertTrue(withCode >= 3 && withAccount >= 3 && withPassword >= 3 && filings >= 3 && twoLinks >= 2
                && noLink >= 5, "corpus lacks variety");
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Object value) {
        assertTrue(value instanceof List, "expected a list, got " + value);
        return (List<String>) value;
    }

    // ------------------------------------------------------------------ links

    @ParameterizedTest(name = "link then {0}")
    @ValueSource(strings = {"。", "，", "；", "：", "！", "？", "）", "】", "」", "、", "查看", " ", "\u3000", "\t", "\n",
        ".", ",", ";", ":", "!", "?", ")", "]", "'", "\"", "(", "[", "<", ". Please", ".Please", "…", "》"})
    void linkEndsAtPunctuationOrText(String after) {
        assertEquals(List.of(GDEMS), parser.parse("请点击" + GDEMS + after + "谢谢").urls());
        assertEquals(List.of(ZXFW), parser.parse("请点击" + ZXFW + after + "谢谢").urls());
    }

    @Test
    void tokensRunningOnMakeALinkAmbiguous() {
        assertEquals(List.of(), parser.parse(GDEMS + "9ZZ查看").links(), "9 letters are no gdems code");
        assertEquals(List.of(), parser.parse("https://sd.gdems.com/v3/dzsd/Ab1").links(), "too short");
        assertEquals(List.of(), parser.parse(GDEMS + "_x 查看").links());
    }

    @Test
    void continuationAfterTheLinkIsKept() {
        assertEquals(List.of(GDEMS + "?from=sms"), parser.parse(GDEMS + "?from=sms。").urls());
        assertEquals(List.of("https://jysd.10102368.com/sd?key=Abc123&t=1"),
                parser.parse("点击https://jysd.10102368.com/sd?key=Abc123&t=1，").urls());
    }

    @Test
    void hostsAreExactNotSuffixes() {
        assertEquals(List.of(), parser.parse("https://sd.gdems.com.evil.cn/v3/dzsd/Ab12Cd").links());
        assertEquals(List.of(), parser.parse("https://evil.cn/sd.gdems.com/v3/dzsd/Ab12Cd").links());
        assertEquals(List.of(), parser.parse("https://dzsd.hbfy.gov.cn.evil.cn/hb/msg=Ab3dE9Fg").links());
        assertEquals(List.of(), parser.parse("https://171.106.48.55/sfsdw//r/Ab3dE9Fg").links(), "port required");
    }

    @Test
    void portalsAndUrlsKeepOrder() {
        ParsedSms parsed = parser.parse("甲" + "http://dzsd.hbfy.gov.cn/hb/msg=X1y2Z3" + "，乙" + GDEMS + "，丙" + ZXFW + "。");
        assertEquals(List.of(SmsPortal.HUBEI_SMS, SmsPortal.GDEMS, SmsPortal.ZXFW), parsed.portals());
        assertEquals(List.of("http://dzsd.hbfy.gov.cn/hb/msg=X1y2Z3", GDEMS, ZXFW), parsed.urls());
    }

    @Test
    void httpAndHttpsOfTheSameLinkAreTwoLinks() {
        String http = GDEMS.replace("https", "http");
        assertEquals(List.of(GDEMS, http), parser.parse(GDEMS + " " + http + " " + GDEMS).urls());
    }

    // ------------------------------------------------------------------ fields

    @Test
    void barePasswordNeedsAColonOrWei() {
        assertEquals("Qa12345", parser.parse("账号：420102202601230001 密码：Qa12345").password());
        assertEquals("Qa12345", parser.parse("账号：420102202601230001，密码为Qa12345").password());
        assertNull(parser.parse("请登录后及时修改密码abc123").password());
        assertEquals("x(1)", parser.parse("默认密码：x(1)").password(), "balanced parentheses stay");
        assertNull(parser.parse("默认密码：(x1)").password(), "a password starts with a letter or digit");
        assertEquals("x1", parser.parse("（默认密码:x1)").password(), "unbalanced closing parenthesis goes");
    }

    @Test
    void accountMustBe15To20Digits() {
        assertNull(parser.parse("账号：12345678901234").account(), "14 digits");
        assertEquals("123456789012345", parser.parse("账号：123456789012345").account());
        assertEquals("12345678901234567890", parser.parse("账号为12345678901234567890。").account());
        assertNull(parser.parse("账号：123456789012345678901").account(), "21 digits");
    }

    @Test
    void firstVerificationCodeWins() {
        assertEquals("Ab12", parser.parse("验证码为您的手机尾号，验证码：Ab12，备用验证码：9999").verificationCode());
    }

    @Test
    void courtNeedsABracketAtStartOrEnd() {
        assertNull(parser.parse("广州市天河区人民法院：您的文书已送达").court());
        assertNull(parser.parse("您好【广州市天河区人民法院】您的文书已送达").court(), "middle of the text");
        assertEquals("广州市天河区人民法院", parser.parse("  \uFEFF【 广州市天河区人民法院 】您的文书已送达").court());
        assertEquals("广州市天河区人民法院",
                parser.parse("【人民法院在线服务】文书已送达。【广州市天河区人民法院】\n").court(), "end when start is no court");
    }

    @Test
    void credentialsCarryCodeAccountPasswordAndNoPhones() {
        ParsedSms parsed = parser.parse("账号：420102202601230001，默认密码：Hb123456，验证码：8E3K");
        PortalCredentials credentials = parsed.credentials();
        assertEquals(List.of(), credentials.phones());
        assertEquals("8E3K", credentials.code());
        assertEquals("420102202601230001", credentials.account());
        assertEquals("Hb123456", credentials.password());
        assertEquals(new PortalCredentials(List.of(), null, null, null), parser.parse("你好").credentials());
    }

    @Test
    void toStringHidesSecrets() {
        String text = parser.parse("【广州市天河区人民法院】" + ZXFW + " 账号：420102202601230001，默认密码：Hb123456，验证码：8E3K")
                .toString();
        for (String secret : List.of("420102202601230001", "Hb123456", "8E3K", "e17a3b5bb01d567c929fdd6c43693a08")) {
            assertFalse(text.contains(secret), "toString leaks " + secret + ": " + text);
        }
        assertTrue(text.contains("zxfw") && text.contains("广州市天河区人民法院"), text);
    }

    @Test
    void resultIsImmutable() {
        ParsedSms parsed = parser.parse(GDEMS + " （2026）粤0106民初1234号");
        assertThrows(UnsupportedOperationException.class, () -> parsed.links().clear());
        assertThrows(UnsupportedOperationException.class, () -> parsed.caseNumbers().clear());
    }

    // ------------------------------------------------------------------ robustness

    @Test
    void nullAndBlankGiveAnEmptyResult() {
        for (String input : Arrays.asList(null, "", "   ", "\u0000\u0000")) {
            ParsedSms parsed = parser.parse(input);
            assertEquals(List.of(), parsed.links());
            assertEquals(List.of(), parsed.caseNumbers());
            assertNull(parsed.court());
            assertNull(parsed.verificationCode());
            assertNull(parsed.account());
            assertNull(parsed.password());
            assertFalse(parsed.filingNotice());
        }
    }

    @Test
    void oneMegabyteOfGarbageIsCutAndReturnsQuickly() {
        StringBuilder sb = new StringBuilder(1 << 20);
        sb.append("【广州市天河区人民法院】").append(GDEMS).append("，");
        Random random = new Random(42);
        String[] pieces = {"https://", "http://sd.gdems.com/v3/dzsd/", "（2026）", "粤0106民初", "验证码", "账号：", "密码：",
            "【", "】", "&", "=", "a", "9", "。", " ", "\u0000", "\uD800", "\uFFFF", "立案"};
        while (sb.length() < (1 << 20) - 200) {
            sb.append(pieces[random.nextInt(pieces.length)]);
        }
        sb.append(" https://jysd.10102368.com/sd?key=Beyond10k 账号：420102202601230001");
        String input = sb.toString();

        ParsedSms parsed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parser.parse(input));
        assertEquals(List.of(GDEMS), parsed.urls(), "only the link inside the first " + SmsParser.MAX_CHARS + " chars");
        assertNull(parsed.account(), "the account lies beyond the cap");
        assertEquals("广州市天河区人民法院", parsed.court());
    }

    @Test
    void adversarialInputsWithinTheCapReturnQuickly() {
        List<String> inputs = List.of(
                "https://".repeat(1_200),
                "https://sd.gdems.com/v3/dzsd/" + "A".repeat(9_000),
                "https://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?" + "a=1&".repeat(2_400),
                "https://jysd.10102368.com/sd?key=" + "%".repeat(9_000) + "！",
                "（2026）".repeat(1_400),
                "（2026）粤" + "0".repeat(9_000),
                "（ 2026 ）" + "民".repeat(9_000) + "1号",
                "验证码".repeat(3_000) + "：",
                "默认密码：" + "!".repeat(9_000),
                "账号：" + "1".repeat(9_000),
                "【" + "法".repeat(9_000) + "】");
        for (String input : inputs) {
            ParsedSms parsed = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> parser.parse(input));
            assertEquals(List.of(), parsed.links(), input.substring(0, 20));
            assertEquals(List.of(), parsed.caseNumbers(), input.substring(0, 20));
            assertNull(parsed.account(), input.substring(0, 20));
            assertNull(parsed.court(), input.substring(0, 20));
        }
    }

    @Test
    void randomCharactersNeverThrow() {
        Random random = new Random(7);
        List<String> failures = new ArrayList<>();
        for (int round = 0; round < 300; round++) {
            char[] chars = new char[random.nextInt(3_000)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = (char) (random.nextBoolean() ? random.nextInt(0x10000) : 0x20 + random.nextInt(0x5F));
            }
            try {
                ParsedSms parsed = parser.parse(new String(chars));
                if (parsed == null || parsed.links() == null || parsed.caseNumbers() == null) {
                    failures.add("round " + round + ": null in result");
                }
            } catch (RuntimeException e) {
                failures.add("round " + round + ": " + e);
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void capDoesNotSplitASurrogatePair() {
        String input = "a".repeat(SmsParser.MAX_CHARS - 1) + "\uD83D\uDE00" + GDEMS;
        ParsedSms parsed = parser.parse(input);
        assertEquals(List.of(), parsed.links());
        assertEquals(List.of(GDEMS), parser.parse(GDEMS + " " + "a".repeat(SmsParser.MAX_CHARS)).urls());
    }

    @Test
    void everyPortalHasAnId() {
        assertEquals(Set.of("zxfw", "gdems", "jysd", "daolv", "hubei-sms", "sfdw"),
                Arrays.stream(SmsPortal.values()).map(SmsPortal::id).collect(Collectors.toSet()));
    }
}
