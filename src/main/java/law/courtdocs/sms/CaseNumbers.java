package law.courtdocs.sms;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Chinese case numbers (案号) such as （2026）粤0106民初1234号, （2025）最高法知民终12号 or
 * （2026）粤0106民初1234号之一, found in free text: an SMS, the first page of a PDF. Plain Java,
 * stateless, thread-safe; shared by {@link SmsParser} and the PDF metadata reader so both read
 * case numbers the same way.
 *
 * <p>What counts: year 1900–2099 in （）, (), 〔〕, ［］ or [], a court code starting with a province
 * abbreviation (or 最高法, or 兵 for the XPCC courts), a case type containing one of
 * 民刑行执赔破财司知商协认, a number and 号. Up to three spaces (ASCII, tab, NBSP or U+3000) are
 * tolerated inside the brackets, after them, and around the number; full-width digits are read as
 * ASCII. Results are normalised: full-width （）, ASCII digits, no spaces. The pattern uses only
 * bounded or possessive quantifiers, so there is no catastrophic backtracking; callers still cap
 * very long input.
 */
public final class CaseNumbers {

    /** Horizontal space that may sit inside a case number: ASCII space, tab, NBSP, ideographic space. */
    private static final String HS = "[ \\t\\u00A0\\u3000]{0,3}+";

    private static final Pattern CASE_NUMBER = Pattern.compile(
            "[（(〔［\\[]" + HS + "((?:19|20)\\d{2})" + HS + "[）)〕］\\]]" + HS
                    + "([\\u4e00-\\u9fff]{1,4}\\d{0,4}[\\u4e00-\\u9fff]{0,6})" + HS + "(\\d{1,7}+)" + HS + "号"
                    + "(之[一二三四五六七八九十]{1,3}+)?");

    /** Province abbreviations that start a court code; 兵 = XPCC courts. 最高法 is checked apart. */
    private static final String PROVINCES = "京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵黔云滇藏陕甘青宁新兵";

    /** At least one of these must appear in the court code + case type (民初, 执恢, 刑终, 知民初, 财保 …). */
    private static final String CASE_CATEGORIES = "民刑行执赔破财司知商协认";

    private CaseNumbers() {}

    /** Every case number in {@code text}, in order of appearance, without duplicates; never null. */
    public static List<String> findAll(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Set<String> found = new LinkedHashSet<>();
        Matcher m = CASE_NUMBER.matcher(asciiDigits(text));
        while (m.find()) {
            String code = m.group(2);
            if (!(code.startsWith("最高法") || PROVINCES.indexOf(code.charAt(0)) >= 0) || !hasCategory(code)) {
                continue;
            }
            found.add("（" + m.group(1) + "）" + code + m.group(3) + "号" + (m.group(4) == null ? "" : m.group(4)));
        }
        return List.copyOf(found);
    }

    /** The first case number in {@code text}, normalised. */
    public static Optional<String> find(String text) {
        List<String> all = findAll(text);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    private static boolean hasCategory(String code) {
        for (int i = 0; i < code.length(); i++) {
            if (CASE_CATEGORIES.indexOf(code.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Full-width digits (０-９) become ASCII; the length is unchanged. */
    private static String asciiDigits(String text) {
        char[] chars = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= '０' && c <= '９') {
                if (chars == null) {
                    chars = text.toCharArray();
                }
                chars[i] = (char) (c - 0xFEE0);
            }
        }
        return chars == null ? text : new String(chars);
    }
}
