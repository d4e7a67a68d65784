package law.courtdocs.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** Content type from the first bytes (portals mislabel files), refined by the file extension. */
public final class ContentTypes {

    public static final String PDF = "application/pdf";
    public static final String OFD = "application/ofd";
    public static final String OCTET = "application/octet-stream";

    private ContentTypes() {}

    /** What a court sends as a document: PDF, OFD, images and Office files. */
    public static boolean isDocument(String contentType) {
        return contentType.equals(PDF) || contentType.equals(OFD) || contentType.startsWith("image/")
                || contentType.startsWith("application/vnd.") || contentType.equals("application/msword")
                || contentType.equals("application/rtf");
    }

    public static String detect(Path file, String fileName) throws IOException {
        byte[] head = new byte[8];
        int n;
        try (InputStream in = Files.newInputStream(file)) {
            n = in.readNBytes(head, 0, head.length);
        }
        return detect(Arrays.copyOf(head, n), fileName);
    }

    static String detect(byte[] head, String fileName) {
        String ext = extension(fileName);
        if (startsWith(head, "%PDF")) {
            return PDF;
        }
        if (startsWith(head, "PK\u0003\u0004")) {
            // OFD (China's fixed-layout format) and Office files are ZIP containers too
            return switch (ext) {
                case "ofd" -> OFD;
                case "docx" -> "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
                case "xlsx" -> "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
                default -> "application/zip";
            };
        }
        if (head.length >= 3 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xd8 && (head[2] & 0xff) == 0xff) {
            return "image/jpeg";
        }
        if (startsWith(head, "\u0089PNG")) {
            return "image/png";
        }
        if (startsWith(head, "II*\u0000") || startsWith(head, "MM\u0000*")) {
            return "image/tiff";
        }
        if (startsWith(head, "{\\rtf")) {
            return "application/rtf";
        }
        if (head.length >= 4 && (head[0] & 0xff) == 0xd0 && (head[1] & 0xff) == 0xcf && (head[2] & 0xff) == 0x11
                && (head[3] & 0xff) == 0xe0) {
            return ext.equals("xls") ? "application/vnd.ms-excel" : "application/msword";
        }
        return OCTET;
    }

    static String extension(String fileName) {
        int dot = fileName == null ? -1 : fileName.lastIndexOf('.');
        return dot < 0 ? "" : fileName.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static boolean startsWith(byte[] head, String magic) {
        if (head.length < magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if ((head[i] & 0xff) != magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
