package law.courtdocs.portal;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import law.courtdocs.text.TextPolicy;

/** Turns whatever a portal calls a file into a safe, still readable (Chinese kept) file name. */
public final class FileNames {

    private static final int MAX_LENGTH = 200;
    private static final Set<String> WINDOWS_RESERVED = Set.of(
            "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
            "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9");

    private FileNames() {}

    /**
     * Replaces path separators, {@code <>:"|?*} and control characters with {@code _}, trims dots
     * and blanks at the ends, guards reserved device names and caps the length (keeping the
     * extension). Never returns an empty name.
     */
    public static String sanitize(String name) {
        String n = name == null ? "" : Normalizer.normalize(TextPolicy.clean(name), Normalizer.Form.NFC);
        StringBuilder out = new StringBuilder(n.length());
        n.codePoints().forEach(cp -> {
            boolean bad = cp < 0x20 || cp == 0x7f || "<>:\"/\\|?*".indexOf(cp) >= 0
                    || Character.getType(cp) == Character.FORMAT;
            out.appendCodePoint(bad ? '_' : cp);
        });
        String s = out.toString().strip();
        s = s.replaceAll("^[.\\s]+", "").replaceAll("[.\\s]+$", "");
        if (s.isEmpty()) {
            s = "document";
        }
        String stem = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        if (WINDOWS_RESERVED.contains(stem.toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        if (s.length() > MAX_LENGTH) {
            int dot = s.lastIndexOf('.');
            String ext = dot > 0 && s.length() - dot <= 10 ? s.substring(dot) : "";
            s = s.substring(0, MAX_LENGTH - ext.length()) + ext;
        }
        return s;
    }

    /** {@code title.ext} with the title sanitised; {@code ext} may be null or blank. */
    public static String withExtension(String title, String ext) {
        String e = ext == null ? "" : ext.strip().replaceAll("^\\.+", "").toLowerCase(Locale.ROOT);
        return sanitize(e.isEmpty() ? title : title + "." + e);
    }
}
