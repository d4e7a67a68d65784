package law.courtdocs.sms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a court SMS (短信) and pulls out what the download service needs. Plain Java, stateless
 * and thread-safe; no Quarkus or CDI. See shared/portals.md, section "Court SMS messages".
 *
 * <h2>What it recognises</h2>
 * <ul>
 * <li><b>Delivery links</b> ({@link ParsedSms#links()}), in order, de-duplicated by exact text, each
 * classified by {@link SmsPortal}:
 * <ul>
 * <li>zxfw {@code http(s)://zxfw.court.gov.cn/zxfw/#/pagesAjkj/app/wssd/index?qdbh=…&sdbh=…&sdsin=…}
 * (parameters in any order; all three must be present and non-empty);</li>
 * <li>gdems {@code http(s)://sd.gdems.com/v3/dzsd/<5–8 letters/digits>};</li>
 * <li>jysd {@code http(s)://jysd.10102368.com/sd?key=<token>};</li>
 * <li>daolv account mode {@code http(s)://dzsd.hbfy.gov.cn/sfsddz…} and
 * {@code http(s)://sfsd.jxfy.gov.cn/sfsddz…};</li>
 * <li>Hubei public SMS {@code http(s)://dzsd.hbfy.gov.cn/hb/msg=<code>};</li>
 * <li>sfdw {@code http(s)://sfpt.cdfy12368.gov.cn/sfsdw//r/<token>} and
 * {@code http(s)://171.106.48.55:28083/sfsdw//r/<token>} (double slash required).</li>
 * </ul>
 * Scheme and host are matched case-insensitively; the URL is returned exactly as written. A link
 * may be glued to the text around it: it ends at the first character that is not an ASCII URL
 * character (CJK, full-width punctuation such as 。，；）】, whitespace) and also at {@code ( ) [ ] '},
 * which none of these portals uses; trailing {@code . , ; : ! ? * &} are dropped. If the link is
 * followed by more ASCII, a continuation starting with {@code ? & # /} is kept as part of the URL;
 * a token running straight on into letters or digits (e.g. a gdems code of 9 characters) makes the
 * link ambiguous and it is skipped; anything else (e.g. {@code .Please}) is cut off.
 * Tokens (and zxfw parameter values) may contain {@code A–Z a–z 0–9 _ - % + = ~}, at most 256 of them.</li>
 * <li><b>Case numbers</b> ({@link ParsedSms#caseNumbers()}, found by the shared {@link CaseNumbers}) such as （2026）粤0106民初1234号, （2025）最高法知民终12号,
 * （2026）粤民终8号, （2026）鄂01执恢3号, （2026）粤0106民初1234号之一: year 1900–2099 in （）, (), 〔〕, ［］ or [],
 * a court code starting with a province abbreviation (or 最高法, or 兵 for the XPCC courts), a case type
 * containing one of 民刑行执赔破财司知商协认, a number and 号. Up to three spaces (ASCII, NBSP or
 * U+3000) are tolerated inside the brackets, after them, and around the number, and full-width
 * digits are read as ASCII. Output is normalised: full-width （）, ASCII digits, no spaces.</li>
 * <li><b>Court</b> ({@link ParsedSms#court()}): the text of a 【…】 (or ［…］, […]) signature at the
 * very start, else the very end of the message, if it is all CJK and ends with 法院, 法庭 or 分院.
 * Platform signatures such as 【人民法院在线服务】 or 【12368】 are therefore not taken for a court.</li>
 * <li><b>Verification code</b>: 验证码 followed by optional 为/是, optional ：or :, optional spaces and
 * exactly 4–6 letters/digits (a longer run is not a code). First one wins.</li>
 * <li><b>Account</b>: 账号 / 帐号 followed by optional 为/是, optional colon and exactly 15–20 digits
 * (not followed by a letter or digit). First one wins.</li>
 * <li><b>Password</b>: 默认密码 / 初始密码 / 登录密码 (or a bare 密码 when followed by 为/是 or a colon), then a
 * run of printable ASCII starting with a letter or digit, up to the first space, CJK character or
 * full-width punctuation; trailing {@code . , ;} and an unbalanced trailing {@code )} or {@code ]} are
 * dropped. First one wins.</li>
 * <li><b>Filing notice</b>: the text contains 立案 and no supported delivery link was found.</li>
 * </ul>
 *
 * <h2>Robustness</h2>
 * Never throws: {@code null} gives an empty result, input is cut to {@link #MAX_CHARS} characters,
 * links are found by a single linear scan, and every regular expression uses bounded or
 * possessive quantifiers, so there is no catastrophic backtracking. As a last line of defence an
 * unexpected runtime exception yields an empty result.
 *
 * <h2>What it still misses</h2>
 * <ul>
 * <li>Links without a scheme ({@code sd.gdems.com/v3/dzsd/Ab12Cd}), links split across lines or
 * by spaces, short links (t.cn, url.cn …) and links of portals not listed above are ignored. A zxfw
 * link lacking one of qdbh/sdbh/sdsin, an sfdw link with a single slash ({@code /sfsdw/r/}) and a
 * gdems code outside 5–8 characters are not recognised.</li>
 * <li>A token that legitimately contains {@code .} or ends in one of {@code . , ; : ! ? * &} is
 * cut there; http and https forms of the same link are kept as two links.</li>
 * <li>Case numbers that share a prefix (（2026）粤0106民初1234、1235号, or a following bare 1235号) yield only
 * the first; case numbers without the bracketed year, with a two-digit year, with spaces inside the
 * court code or case type, or from military courts are not found; the case-type check is a
 * character whitelist, not a list of real case types.</li>
 * <li>The court is only taken from a bracket signature at the start or end; a court named only in
 * the body (广州市天河区人民法院向你送达…), or a signature followed by trailing text
 * (…【某法院】退订回T), gives {@code null}.</li>
 * <li>Codes and passwords described in words (验证码为您手机号后六位, 初始密码与账号相同) are not resolved;
 * other words for a code (校验码, 提取码, 查询码) are not recognised; a password containing spaces or
 * non-ASCII characters, or ending in {@code . , ;}, is cut; an account with a letter (ID number
 * ending in X) is not taken.</li>
 * <li>The filing-notice flag is literal: any text with 立案 (including 立案庭, 不予立案) and no link is
 * flagged; a filing notice that does not use the word 立案 (e.g. only 受理) is not.</li>
 * </ul>
 */
public final class SmsParser {

    /** Longer input is cut to this many characters before parsing. */
    public static final int MAX_CHARS = 10_000;

    private static final System.Logger LOG = System.getLogger(SmsParser.class.getName());

    // ------------------------------------------------------------------ links

    private static final Pattern SCHEME = Pattern.compile("(?i)https?://");

    /** Characters a token may consist of; the same set, right after a token, makes a link ambiguous. */
    private static final String TOKEN = "[A-Za-z0-9_%+=~-]";

    /** A token is at most 256 characters (real ones are far shorter); a longer run makes the link ambiguous. */
    private static final String TOKEN_RUN = TOKEN + "{1,256}+";

    private static final String QUERY_PARAM = "[A-Za-z0-9_]{1,32}+=" + TOKEN + "{0,256}+";

    private record Shape(SmsPortal portal, Pattern pattern) {}

    /** Strict link shapes, matched at the start of a candidate (lookingAt). */
    private static final List<Shape> SHAPES = List.of(
            new Shape(SmsPortal.ZXFW, Pattern.compile("(?i:https?://zxfw\\.court\\.gov\\.cn)"
                    + "/zxfw/#/pagesAjkj/app/wssd/index\\?" + QUERY_PARAM + "(?:&" + QUERY_PARAM + "){0,15}+")),
            new Shape(SmsPortal.GDEMS, Pattern.compile("(?i:https?://sd\\.gdems\\.com)/v3/dzsd/[A-Za-z0-9]{5,8}+")),
            new Shape(SmsPortal.JYSD, Pattern.compile("(?i:https?://jysd\\.10102368\\.com)/sd\\?key=" + TOKEN_RUN)),
            new Shape(SmsPortal.DAOLV, Pattern.compile(
                    "(?i:https?://(?:dzsd\\.hbfy\\.gov\\.cn|sfsd\\.jxfy\\.gov\\.cn))/sfsddz")),
            new Shape(SmsPortal.HUBEI_SMS, Pattern.compile("(?i:https?://dzsd\\.hbfy\\.gov\\.cn)/hb/msg=" + TOKEN_RUN)),
            new Shape(SmsPortal.SFDW, Pattern.compile(
                    "(?i:https?://(?:sfpt\\.cdfy12368\\.gov\\.cn|171\\.106\\.48\\.55:28083))/sfsdw//r/" + TOKEN_RUN)));

    private static final String TRAILING_PUNCTUATION = ".,;:!?*&";

    // ------------------------------------------------------------------ other fields

    private static final String SEP = "[ \\t\\u3000]*+";

    private static final Pattern VERIFICATION_CODE =
            Pattern.compile("验证码(?:为|是)?" + SEP + "[:：]?" + SEP + "([A-Za-z0-9]{4,6}+)(?![A-Za-z0-9])");

    private static final Pattern ACCOUNT =
            Pattern.compile("[账帐]号(?:为|是)?" + SEP + "[:：]?" + SEP + "([0-9]{15,20}+)(?![A-Za-z0-9])");

    private static final Pattern PASSWORD = Pattern.compile(
            "(默认|初始|登录)?密码(为|是)?" + SEP + "([:：])?" + SEP + "([A-Za-z0-9][\\x21-\\x7E]{0,63}+)");

    /**
     * Parses one message. Never throws and never returns {@code null}.
     *
     * @param content the SMS text; {@code null} or blank gives an empty result
     */
    public ParsedSms parse(String content) {
        if (content == null || content.isEmpty()) {
            return ParsedSms.empty();
        }
        try {
            String text = cap(content);
            List<ParsedSms.Link> links = links(text);
            String fields = asciiDigitsAndLetters(text);
            return new ParsedSms(
                    links,
                    caseNumbers(fields),
                    court(text),
                    first(VERIFICATION_CODE, fields),
                    first(ACCOUNT, fields),
                    password(fields),
                    links.isEmpty() && text.contains("立案"));
        } catch (RuntimeException e) {
            // Not expected; the contract is "never throws", so report and carry on with nothing found.
            LOG.log(System.Logger.Level.WARNING, "SMS parser failed on a message of " + content.length()
                    + " characters: " + e.getClass().getName());
            return ParsedSms.empty();
        }
    }

    private static String cap(String content) {
        if (content.length() <= MAX_CHARS) {
            return content;
        }
        int end = MAX_CHARS;
        if (Character.isHighSurrogate(content.charAt(end - 1))) {
            end--;
        }
        return content.substring(0, end);
    }

    // ------------------------------------------------------------------ links

    static List<ParsedSms.Link> links(String text) {
        Map<String, ParsedSms.Link> found = new LinkedHashMap<>();
        Matcher scheme = SCHEME.matcher(text);
        int from = 0;
        while (from < text.length() && scheme.find(from)) {
            int start = scheme.start();
            int end = scheme.end();
            while (end < text.length() && isUrlChar(text.charAt(end)) && !schemeAt(text, end)) {
                end++;
            }
            while (end > scheme.end() && TRAILING_PUNCTUATION.indexOf(text.charAt(end - 1)) >= 0) {
                end--;
            }
            ParsedSms.Link link = classify(text.substring(start, end));
            if (link != null) {
                found.putIfAbsent(link.url(), link);
            }
            from = Math.max(end, scheme.end());
        }
        return List.copyOf(found.values());
    }

    private static ParsedSms.Link classify(String candidate) {
        for (Shape shape : SHAPES) {
            Matcher m = shape.pattern().matcher(candidate);
            if (!m.lookingAt()) {
                continue;
            }
            String url;
            if (m.end() == candidate.length() || "?&#/".indexOf(candidate.charAt(m.end())) >= 0) {
                url = candidate; // the link, possibly with a query/fragment/path continuation
            } else if (isTokenChar(candidate.charAt(m.end()))) {
                return null; // the token runs on: we cannot tell where the link ends
            } else {
                url = candidate.substring(0, m.end());
            }
            if (shape.portal() == SmsPortal.ZXFW && !hasZxfwParameters(url)) {
                return null;
            }
            return new ParsedSms.Link(url, shape.portal());
        }
        return null;
    }

    /** qdbh, sdbh and sdsin all present and non-empty in the fragment's query. */
    private static boolean hasZxfwParameters(String url) {
        int q = url.indexOf('?', url.indexOf('#'));
        if (q < 0) {
            return false;
        }
        Set<String> present = new LinkedHashSet<>();
        for (String pair : url.substring(q + 1).split("[&#]")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.length() - 1) {
                present.add(pair.substring(0, eq));
            }
        }
        return present.containsAll(List.of("qdbh", "sdbh", "sdsin"));
    }

    /** RFC 3986 characters except ( ) [ ] ', which no supported link uses and which often wrap one. */
    private static boolean isUrlChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~:/?#@!$&*+,;=%".indexOf(c) >= 0;
    }

    private static boolean isTokenChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "_%+=~-".indexOf(c) >= 0;
    }

    /** Whether a new http:// or https:// starts at {@code i} (two links glued together). */
    private static boolean schemeAt(String text, int i) {
        return text.regionMatches(true, i, "http://", 0, 7) || text.regionMatches(true, i, "https://", 0, 8);
    }

    // ------------------------------------------------------------------ case numbers

    /** See {@link CaseNumbers}: shared with the PDF metadata reader. */
    static List<String> caseNumbers(String text) {
        return CaseNumbers.findAll(text);
    }

    // ------------------------------------------------------------------ court

    static String court(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && isBlank(text.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(text.charAt(to - 1))) {
            to--;
        }
        if (from == to) {
            return null;
        }
        if (isOpening(text.charAt(from))) {
            for (int i = from + 1; i < to && i <= from + 41; i++) {
                if (isClosing(text.charAt(i))) {
                    String name = courtName(text.substring(from + 1, i));
                    if (name != null) {
                        return name;
                    }
                    break;
                }
            }
        }
        if (isClosing(text.charAt(to - 1))) {
            for (int i = to - 2; i >= from && i >= to - 42; i--) {
                if (isOpening(text.charAt(i))) {
                    return courtName(text.substring(i + 1, to - 1));
                }
            }
        }
        return null;
    }

    private static String courtName(String inside) {
        String name = inside.strip();
        if (name.length() < 4 || !(name.endsWith("法院") || name.endsWith("法庭") || name.endsWith("分院"))) {
            return null;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '\u4e00' || c > '\u9fff') {
                return null;
            }
        }
        return name;
    }

    private static boolean isOpening(char c) {
        return c == '【' || c == '［' || c == '[';
    }

    private static boolean isClosing(char c) {
        return c == '】' || c == '］' || c == ']';
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || c == '\u3000' || c == '\u00A0' || c == '\uFEFF' || c == '\u200B';
    }

    // ------------------------------------------------------------------ code, account, password

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : null;
    }

    static String password(String text) {
        Matcher m = PASSWORD.matcher(text);
        while (m.find()) {
            boolean qualified = m.group(1) != null || m.group(2) != null || m.group(3) != null;
            if (!qualified) {
                continue;
            }
            String value = trimPassword(m.group(4));
            if (!value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    private static String trimPassword(String value) {
        String v = value;
        boolean changed = true;
        while (changed && !v.isEmpty()) {
            changed = false;
            char last = v.charAt(v.length() - 1);
            if (last == '.' || last == ',' || last == ';'
                    || (last == ')' && v.indexOf('(') < 0)
                    || (last == ']' && v.indexOf('[') < 0)) {
                v = v.substring(0, v.length() - 1);
                changed = true;
            }
        }
        return v;
    }

    /** Full-width digits and Latin letters (０-９, Ａ-Ｚ, ａ-ｚ) become ASCII; the length is unchanged. */
    private static String asciiDigitsAndLetters(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c >= '０' && c <= '９') || (c >= 'Ａ' && c <= 'Ｚ') || (c >= 'ａ' && c <= 'ｚ')) {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c - 0xFEE0);
            }
        }
        return chars == null ? text : new String(chars);
    }
}
