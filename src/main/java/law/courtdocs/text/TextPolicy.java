package law.courtdocs.text;

/**
 * The one place that decides which text the service takes in. PostgreSQL cannot store NUL in a
 * text column, and a lone UTF-16 surrogate has no UTF-8 form at all; other control characters
 * and noncharacters store, but no page, file name or log line shows them faithfully. So:
 *
 * <ul>
 *   <li>from callers (JSON strings, query and path parameters, the headers we read) such text is
 *       refused with a 400 naming the field, before any database work ({@link #problem});</li>
 *   <li>from portals (titles, file names, court names, case numbers, error texts) it is cleaned,
 *       because a court's odd title must not fail a delivery ({@link #clean}).</li>
 * </ul>
 *
 * Refused: C0 controls (U+0000–U+001F) and DEL, C1 controls (U+0080–U+009F), unpaired
 * surrogates, and Unicode noncharacters (U+FDD0–U+FDEF, U+xxFFFE/U+xxFFFF). Multi-line text (an
 * SMS as received, an attempt's page HTML) keeps tab, line feed and carriage return: an SMS is
 * several lines, and its line breaks are part of what the court wrote.
 */
public final class TextPolicy {

    private TextPolicy() {}

    public enum Lines {
        /** Names, references, codes: one line, no control character at all. */
        SINGLE,
        /** Free text: tab, LF and CR are kept. */
        MULTI
    }

    /**
     * Why {@code value} cannot be taken, for a message next to the field, or null when it can. The
     * message names the character and its position, never the value (it may be a password).
     */
    public static String problem(String value, Lines lines) {
        if (value == null) {
            return null;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(i + 1));
                if (isNonCharacter(cp)) {
                    return "holds the noncharacter " + hex(cp) + " at position " + i;
                }
                i++;
                continue;
            }
            if (Character.isSurrogate(c)) {
                return "holds an unpaired surrogate " + hex(c) + " at position " + i + " (not valid Unicode)";
            }
            if (isControl(c, lines)) {
                return "holds the control character " + hex(c) + " at position " + i;
            }
            if (isNonCharacter(c)) {
                return "holds the noncharacter " + hex(c) + " at position " + i;
            }
        }
        return null;
    }

    /** True when {@link #problem} finds nothing. */
    public static boolean acceptable(String value, Lines lines) {
        return problem(value, lines) == null;
    }

    /**
     * {@code value} as it can be stored and shown: single-line text has line breaks and tabs turned
     * into spaces, every other refused character is dropped, and an unpaired surrogate becomes
     * U+FFFD (something was there). Returns the same instance when nothing needed cleaning.
     */
    public static String clean(String value, Lines lines) {
        if (value == null || acceptable(value, lines)) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(i + 1));
                if (!isNonCharacter(cp)) {
                    out.append(c).append(value.charAt(i + 1));
                }
                i++;
            } else if (Character.isSurrogate(c)) {
                out.append('\uFFFD');
            } else if (isControl(c, lines)) {
                if (lines == Lines.SINGLE && (c == '\t' || c == '\n' || c == '\r')) {
                    out.append(' ');
                }
            } else if (!isNonCharacter(c)) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** As {@link #clean(String, Lines)} for single-line text. */
    public static String clean(String value) {
        return clean(value, Lines.SINGLE);
    }

    private static boolean isControl(char c, Lines lines) {
        if (c < 0x20) {
            return lines == Lines.SINGLE || (c != '\t' && c != '\n' && c != '\r');
        }
        return c >= 0x7F && c <= 0x9F;
    }

    private static boolean isNonCharacter(int cp) {
        return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
    }

    private static String hex(int cp) {
        return String.format("U+%04X", cp);
    }
}
