package law.courtdocs.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Real PDFs with Chinese text, built with PDFBox and a subset of a CJK TrueType font embedded, so
 * text extraction sees what it sees in a court's PDF. {@link TestPdfs} only writes ASCII.
 *
 * <p>The font comes from the machine: {@code COURT_TEST_CJK_FONT} if set, else the first of
 * {@link #FONT_CANDIDATES} present. Debian's {@code fonts-wqy-microhei} provides the first;
 * {@code .ci/run} installs it. No CJK font → the test fails and says which package to install.
 */
public final class ChinesePdfs {

    static final List<String> FONT_CANDIDATES = List.of(
            "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
            "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
            "/usr/share/fonts/truetype/arphic/uming.ttc");

    private ChinesePdfs() {}

    public static Builder builder() {
        return new Builder();
    }

    /** A one-page PDF with these lines from the top, in the CJK font. */
    public static byte[] page(String... lines) {
        Builder b = builder();
        for (String line : lines) {
            b.line(line);
        }
        return b.bytes();
    }

    public static Path fontFile() {
        String configured = System.getenv("COURT_TEST_CJK_FONT");
        List<String> candidates = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            candidates.add(configured);
        }
        candidates.addAll(FONT_CANDIDATES);
        for (String c : candidates) {
            Path p = Path.of(c);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no CJK TrueType font for test PDFs; looked at " + candidates
                + ": apt-get install fonts-wqy-microhei (as .ci/run does) or set COURT_TEST_CJK_FONT");
    }

    public static final class Builder {

        private record Line(String text, float size, float charSpacing) {}

        private final List<Line> lines = new ArrayList<>();
        private final List<Line> page2 = new ArrayList<>();
        private String userPassword;
        private String ownerPassword;

        public Builder line(String text) {
            lines.add(new Line(text, 12, 0));
            return this;
        }

        /** A title drawn the way courts print them: large, with wide gaps between the characters. */
        public Builder spacedTitle(String text) {
            lines.add(new Line(text, 22, 14));
            return this;
        }

        /** A line on a second page (text the reader must not look at). */
        public Builder secondPageLine(String text) {
            page2.add(new Line(text, 12, 0));
            return this;
        }

        /** Encrypts with these passwords; a null or empty user password opens without one. */
        public Builder encrypt(String user, String owner) {
            this.userPassword = user == null ? "" : user;
            this.ownerPassword = owner;
            return this;
        }

        public byte[] bytes() {
            try (PDDocument doc = new PDDocument();
                    TrueTypeCollection collection = new TrueTypeCollection(fontFile().toFile())) {
                TrueTypeFont[] first = new TrueTypeFont[1];
                collection.processAllFonts(f -> {
                    if (first[0] == null) {
                        first[0] = f;
                    }
                });
                PDType0Font font = PDType0Font.load(doc, first[0], true);
                addPage(doc, font, lines);
                if (!page2.isEmpty()) {
                    addPage(doc, font, page2);
                }
                if (ownerPassword != null) {
                    StandardProtectionPolicy policy =
                            new StandardProtectionPolicy(ownerPassword, userPassword, new AccessPermission());
                    policy.setEncryptionKeyLength(128);
                    doc.protect(policy);
                }
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                doc.save(out);
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void addPage(PDDocument doc, PDType0Font font, List<Line> lines) throws IOException {
            PDPage page = new PDPage(PDRectangle.A4);
            doc.addPage(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                float y = page.getMediaBox().getHeight() - 72;
                for (Line line : lines) {
                    y -= line.size() * 1.8f;
                    cs.beginText();
                    cs.setFont(font, line.size());
                    cs.setCharacterSpacing(line.charSpacing());
                    cs.newLineAtOffset(72, y);
                    cs.showText(line.text());
                    cs.endText();
                }
            }
        }
    }
}
