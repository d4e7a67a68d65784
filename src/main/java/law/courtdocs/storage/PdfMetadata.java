package law.courtdocs.storage;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import law.courtdocs.sms.CaseNumbers;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;

/**
 * Title, court and case number read from the text of a PDF's first page, for portals that do not
 * say them. Plain Java, stateless, thread-safe; never throws.
 *
 * <h2>What it reads</h2>
 * Only the first page's text layer (Apache PDFBox), cut to {@link #MAX_CHARS} characters. Each line
 * is NFKC-normalised (so the Kangxi radicals some court PDFs map their glyphs to, ⼈ for 人, read as
 * ordinary characters) and stripped of all spaces (so "民 事 判 决 书" reads 民事判决书).
 * <ul>
 * <li><b>Case number</b>: the first one {@link CaseNumbers} finds on the page, normalised to
 * （2026）粤0106民初1234号.</li>
 * <li><b>Court</b>: among the first {@link #COURT_LINES} lines, the first that is all CJK and ends in
 * 人民法院 (at least two characters before it) or in 法院 (at least four before it: 上海海事法院,
 * 北京互联网法院), at most 30 characters; a court glued to the title on one line
 * (广州市天河区人民法院传票) gives both.</li>
 * <li><b>Title</b>: among the first {@link #TITLE_LINES} lines, the first short line (at most 24
 * characters, CJK and brackets only) that ends in a document kind from {@link #KINDS}, optionally
 * followed by 副本.</li>
 * </ul>
 *
 * <h2>What it does not do</h2>
 * Scanned PDFs have no text layer: every field comes back {@code null} (no OCR). A PDF that needs a
 * password to open, a broken file, anything that is not a PDF, and files over the size cap give
 * {@link Optional#empty()}. A PDF that opens without a password (an owner password that only
 * forbids editing or printing, common for court PDFs) is read. A title that is not at the top of
 * the page, or not one of the listed kinds, is not found; neither is a court named only in the body.
 *
 * <h2>Resources</h2>
 * The file is read through a buffered random-access file and PDFBox's scratch data goes to temp
 * files, not the heap; only the first page is parsed for text, and only its first
 * {@link #MAX_GLYPHS} glyphs are laid out. PDFBox is synchronous and this is not time-boxed: those
 * limits and the size cap keep it short.
 */
public final class PdfMetadata {

    /** Files larger than this are not opened. */
    public static final long DEFAULT_MAX_BYTES = 50L * 1024 * 1024;

    /** First-page text beyond this many characters is ignored. */
    static final int MAX_CHARS = 20_000;

    /**
     * Glyphs of the first page that are laid out at all. PDFBox keeps a position object per glyph
     * and sorts them; a page of 200k glyphs (hostile, or a generated file) cost a worker ~0.4 s of
     * CPU and hundreds of MB of short-lived heap per document (bench, 2026-12-02). A court document's
     * first page has a few thousand.
     */
    static final int MAX_GLYPHS = 20_000;

    /** The court and the title stand at the top of the page. */
    static final int COURT_LINES = 6;
    static final int TITLE_LINES = 12;

    /** Document kinds a court sends, as a title ends: 民事判决书, 举证通知书, 起诉状副本 … */
    static final List<String> KINDS = List.of(
            "判决书", "裁定书", "调解书", "决定书", "传票", "通知书", "起诉状", "起诉书", "答辩状", "上诉状",
            "申请书", "送达回证", "告知书", "支付令", "公告", "意见书", "建议书", "证明书", "催告书", "告知单");

    /** xx人民法院, or a specialised court (上海海事法院, 北京互联网法院) with at least four characters before 法院. */
    private static final Pattern COURT_LINE = Pattern.compile(
            "((?:[\\u4e00-\\u9fff]{2,26}人民|[\\u4e00-\\u9fff]{4,28})法院)(.*)");

    private static final Pattern TITLE_LINE = Pattern.compile(
            "[\\u4e00-\\u9fff()（）]{0,20}(?:" + String.join("|", KINDS) + ")(?:副本)?");

    private static final System.Logger LOG = System.getLogger(PdfMetadata.class.getName());

    /** What the first page says; any field may be {@code null}. */
    public record Meta(String title, String court, String caseNumber) {

        public boolean isEmpty() {
            return title == null && court == null && caseNumber == null;
        }
    }

    private final long maxBytes;

    public PdfMetadata() {
        this(DEFAULT_MAX_BYTES);
    }

    public PdfMetadata(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * @return the fields found on the first page (each may be null), or empty when the file cannot
     *     be read as a PDF: missing, too large, broken, not a PDF, or needs a password
     */
    public Optional<Meta> read(Path pdf) {
        try {
            if (!Files.isRegularFile(pdf) || Files.size(pdf) > maxBytes) {
                return Optional.empty();
            }
            String text;
            try (PDDocument doc = Loader.loadPDF(new RandomAccessReadBufferedFile(pdf), "", null, null,
                    IOUtils.createTempFileOnlyStreamCache())) {
                if (doc.getNumberOfPages() < 1) {
                    return Optional.of(new Meta(null, null, null));
                }
                PDFTextStripper stripper = new FirstGlyphsStripper(MAX_GLYPHS);
                stripper.setStartPage(1);
                stripper.setEndPage(1);
                stripper.setSortByPosition(true);
                CappedWriter out = new CappedWriter(MAX_CHARS);
                stripper.writeText(doc, out);
                text = out.toString();
            }
            return Optional.of(fromText(text));
        } catch (IOException | RuntimeException | StackOverflowError e) {
            // broken, encrypted or hostile: no metadata, never an error for the download
            LOG.log(System.Logger.Level.DEBUG, () -> "no PDF metadata from " + pdf.getFileName() + ": " + e);
            return Optional.empty();
        }
    }

    /** The fields in a first page's text; package-visible for tests. */
    static Meta fromText(String text) {
        List<String> lines = new ArrayList<>();
        for (String raw : text.split("\\R")) {
            String line = compact(raw);
            if (!line.isEmpty()) {
                lines.add(line);
            }
        }
        String court = null;
        String title = null;
        for (int i = 0; i < Math.min(COURT_LINES, lines.size()) && court == null; i++) {
            Matcher m = COURT_LINE.matcher(lines.get(i));
            if (m.matches() && (m.group(2).isEmpty() || TITLE_LINE.matcher(m.group(2)).matches())) {
                court = m.group(1);
                title = m.group(2).isEmpty() ? null : m.group(2);
            }
        }
        for (int i = 0; i < Math.min(TITLE_LINES, lines.size()) && title == null; i++) {
            String line = lines.get(i);
            if (line.length() <= 24 && TITLE_LINE.matcher(line).matches() && !line.equals(court)) {
                title = line;
            }
        }
        String caseNumber = CaseNumbers.find(String.join("\n", lines)).orElse(null);
        return new Meta(title, court, caseNumber);
    }

    /** Whether a title names a kind of court document (民事判决书, 起诉状副本) rather than, say, a scan's file name. */
    public static boolean isDocumentKind(String title) {
        if (title == null) {
            return false;
        }
        String t = compact(title);
        return KINDS.stream().anyMatch(t::contains);
    }

    /** NFKC (Kangxi radicals and full-width forms to ordinary characters), then no whitespace at all. */
    private static String compact(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC);
        StringBuilder b = new StringBuilder(n.length());
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (!Character.isWhitespace(c) && !Character.isSpaceChar(c) && c != '\uFEFF' && c != '\u200B') {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Keeps the first {@code cap} characters and drops the rest. */
    /** Lays out only the first {@code cap} glyphs the content stream shows; the rest are skipped unmeasured. */
    private static final class FirstGlyphsStripper extends PDFTextStripper {

        private final int cap;
        private int shown;

        FirstGlyphsStripper(int cap) {
            this.cap = cap;
        }

        @Override
        protected void showGlyph(org.apache.pdfbox.util.Matrix textRenderingMatrix,
                org.apache.pdfbox.pdmodel.font.PDFont font, int code, org.apache.pdfbox.util.Vector displacement)
                throws IOException {
            if (shown++ < cap) {
                super.showGlyph(textRenderingMatrix, font, code, displacement);
            }
        }
    }

    private static final class CappedWriter extends Writer {

        private final StringBuilder text = new StringBuilder();
        private final int cap;

        CappedWriter(int cap) {
            this.cap = cap;
        }

        @Override
        public void write(char[] cbuf, int off, int len) {
            int room = cap - text.length();
            if (room > 0) {
                text.append(cbuf, off, Math.min(room, len));
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
