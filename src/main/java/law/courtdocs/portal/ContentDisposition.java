package law.courtdocs.portal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The file name a server suggests in {@code Content-Disposition}. Chinese portals spell it in
 * every way seen in the wild: RFC 5987 {@code filename*=UTF-8''…}, a percent-encoded
 * {@code filename=} (Java's {@code URLEncoder}), or raw UTF-8 or GBK bytes in {@code filename=}.
 */
public final class ContentDisposition {

    private static final Charset GBK = Charset.forName("GB18030");

    private ContentDisposition() {}

    /**
     * The suggested name, decoded; null when the header names none. {@code filename*} wins over
     * {@code filename}, as RFC 6266 says. The caller still has to sanitise it.
     *
     * @param header the header value as the HTTP client gives it: one char per byte received
     */
    public static String fileName(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String extended = null;
        String plain = null;
        for (String part : split(header)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = unquote(part.substring(eq + 1).strip());
            if (name.equals("filename*") && extended == null) {
                extended = extendedValue(value);
            } else if (name.equals("filename") && plain == null) {
                plain = plainValue(value);
            }
        }
        if (extended != null && !extended.isBlank()) {
            return extended;
        }
        return plain == null || plain.isBlank() ? null : plain;
    }

    /** {@code charset'language'percent-encoded} (RFC 5987). */
    static String extendedValue(String value) {
        int first = value.indexOf('\'');
        int second = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (second < 0) {
            // Not the RFC form; some servers put a plain (maybe percent-encoded) name here.
            return plainValue(value);
        }
        Charset charset;
        try {
            String label = value.substring(0, first).strip();
            charset = label.isEmpty() ? StandardCharsets.UTF_8 : Charset.forName(label);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            charset = StandardCharsets.UTF_8;
        }
        byte[] bytes = percentDecode(value.substring(second + 1));
        String decoded = strict(bytes, charset);
        if (decoded == null && charset.equals(StandardCharsets.UTF_8)) {
            decoded = strict(bytes, GBK);
        }
        return decoded;
    }

    /**
     * A plain {@code filename=}: percent-encoded if it holds {@code %XX} that decodes cleanly,
     * otherwise raw bytes (UTF-8 first, GBK next), otherwise taken as it is.
     */
    static String plainValue(String value) {
        if (value.matches("(?s).*%[0-9A-Fa-f]{2}.*")) {
            byte[] bytes = percentDecode(value);
            String decoded = strict(bytes, StandardCharsets.UTF_8);
            if (decoded == null) {
                decoded = strict(bytes, GBK);
            }
            if (decoded != null) {
                return decoded;
            }
        }
        boolean latin1Only = value.chars().allMatch(c -> c <= 0xFF);
        boolean high = value.chars().anyMatch(c -> c >= 0x80);
        if (latin1Only && high) {
            byte[] raw = value.getBytes(StandardCharsets.ISO_8859_1);
            String decoded = strict(raw, StandardCharsets.UTF_8);
            if (decoded == null) {
                decoded = strict(raw, GBK);
            }
            if (decoded != null) {
                return decoded;
            }
        }
        return value;
    }

    /** {@code %XX} to bytes; any other char as its UTF-8 bytes. {@code +} stays a plus. */
    static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    private static String strict(byte[] bytes, Charset charset) {
        try {
            return charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Splits at {@code ;} outside double quotes. */
    private static List<String> split(String header) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '\\' && quoted && i + 1 < header.length() && header.charAt(i + 1) == '"') {
                current.append(c).append(header.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == ';' && !quoted) {
                parts.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        parts.add(current.toString());
        return parts;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            StringBuilder out = new StringBuilder(v.length());
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                // Only \" and \\ are escapes: raw GBK names carry 0x5C as a trail byte.
                if (c == '\\' && i + 1 < v.length() - 1 && (v.charAt(i + 1) == '"' || v.charAt(i + 1) == '\\')) {
                    c = v.charAt(++i);
                }
                out.append(c);
            }
            return out.toString();
        }
        return v;
    }
}
