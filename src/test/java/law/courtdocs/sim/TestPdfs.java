package law.courtdocs.sim;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Small but well-formed PDFs, unique per call argument, for byte-for-byte comparisons. */
public final class TestPdfs {

    private TestPdfs() {}

    /** A one-page PDF whose content stream carries {@code marker} (ASCII) so files differ. */
    public static byte[] pdf(String marker) {
        return pdf("BT /F1 12 Tf 72 720 Td (" + marker.replaceAll("[^A-Za-z0-9 _.-]", "_") + ") Tj ET", null);
    }

    /**
     * A one-page PDF with this content stream (Helvetica as /F1) and, when {@code unused} is not
     * null, one more stream object that no page refers to: size without text, as a real file's
     * fonts and images are.
     */
    public static byte[] pdf(String contentStream, String unused) {
        List<String> objects = new ArrayList<>();
        objects.add("<< /Type /Catalog /Pages 2 0 R >>");
        objects.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
        objects.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                + " /Resources << /Font << /F1 5 0 R >> >> >>");
        objects.add("<< /Length " + contentStream.length() + " >>\nstream\n" + contentStream + "\nendstream");
        objects.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        if (unused != null) {
            objects.add("<< /Length " + unused.length() + " >>\nstream\n" + unused + "\nendstream");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(out.size());
            write(out, (i + 1) + " 0 obj\n" + objects.get(i) + "\nendobj\n");
        }
        int xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 " + (objects.size() + 1) + "\n0000000000 65535 f \n");
        for (int offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        write(out, table + "trailer\n<< /Size " + (objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
