package law.courtdocs.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import law.courtdocs.sim.ChinesePdfs;
import law.courtdocs.sim.TestPdfs;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfMetadataTest {

    private static final String COURT = "广东省广州市天河区人民法院";
    private static final String CASE = "（2026）粤0106民初1234号";

    private final PdfMetadata reader = new PdfMetadata();

    @TempDir
    Path dir;

    @Test
    void courtCaseNumberAndSpacedTitleFromTheFirstPage() throws IOException {
        byte[] pdf = ChinesePdfs.builder()
                .line(COURT)
                .spacedTitle("民事判决书")
                .line(CASE)
                .line("原告：张三，男，1980年1月1日出生。")
                .line("被告：广州某某有限公司。")
                .secondPageLine("（2025）粤01民终9999号")
                .secondPageLine("执行通知书")
                .bytes();

        PdfMetadata.Meta meta = reader.read(write("judgment.pdf", pdf)).orElseThrow();

        assertEquals(new PdfMetadata.Meta("民事判决书", COURT, CASE), meta);
    }

    @Test
    void titleWithSpacesInTheTextAndFullWidthDigitsAreNormalised() throws IOException {
        byte[] pdf = ChinesePdfs.page(
                "广州市中级人民法院",
                "民 事 裁 定 书",
                "（２０２６） 粤01 民终 88 号",
                "上诉人张三不服一审判决，向本院提起上诉。");

        PdfMetadata.Meta meta = reader.read(write("ruling.pdf", pdf)).orElseThrow();

        assertEquals("民事裁定书", meta.title());
        assertEquals("广州市中级人民法院", meta.court());
        assertEquals("（2026）粤01民终88号", meta.caseNumber());
    }

    @Test
    void aFirstPageWithFarMoreGlyphsThanTheCapStillGivesItsHeading() throws IOException {
        // the heading comes first in the content stream; what follows is laid out only up to the cap
        byte[] pdf = ChinesePdfs.builder()
                .line(COURT)
                .spacedTitle("民事判决书")
                .line(CASE)
                .line("本".repeat(PdfMetadata.MAX_GLYPHS * 3))
                .bytes();

        assertEquals(new PdfMetadata.Meta("民事判决书", COURT, CASE),
                reader.read(write("huge-first-page.pdf", pdf)).orElseThrow());
    }

    @Test
    void courtAndTitleOnOneLine() throws IOException {
        byte[] pdf = ChinesePdfs.page("广州市天河区人民法院传票", "案号：（2026）粤0106民初77号", "被传唤人：李四");

        assertEquals(new PdfMetadata.Meta("传票", "广州市天河区人民法院", "（2026）粤0106民初77号"),
                reader.read(write("summons.pdf", pdf)).orElseThrow());
    }

    @Test
    void aPdfWithoutTextGivesEmptyFields() throws IOException {
        ByteArrayOutputStream blank = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            doc.addPage(new PDPage());
            doc.save(blank);
        }
        Optional<PdfMetadata.Meta> noText = reader.read(write("scan.pdf", blank.toByteArray()));
        assertTrue(noText.isPresent(), "a readable PDF gives a result");
        assertTrue(noText.get().isEmpty(), noText.toString());

        Optional<PdfMetadata.Meta> ascii = reader.read(write("ascii.pdf", TestPdfs.pdf("no chinese here")));
        assertEquals(Optional.of(new PdfMetadata.Meta(null, null, null)), ascii);
    }

    @Test
    void chineseTextWithoutTitleCourtOrCaseNumberGivesEmptyFields() throws IOException {
        byte[] pdf = ChinesePdfs.page("证据清单", "一、购房合同一份，证明双方存在买卖关系。",
                "二、本案应由人民法院依法审理，特向法院提交本通知书及其他材料，请予查收。");

        assertEquals(new PdfMetadata.Meta(null, null, null), reader.read(write("list.pdf", pdf)).orElseThrow());
    }

    @Test
    void brokenFilesGiveNothingAndNeverThrow() throws IOException {
        byte[] good = ChinesePdfs.page(COURT, "民事判决书", CASE);
        byte[] random = new byte[4096];
        new Random(1).nextBytes(random);
        byte[][] broken = {
            random,
            "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF".getBytes(),
            "<html><body>登录已过期</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8),
            new byte[0],
        };
        for (int i = 0; i < broken.length; i++) {
            assertEquals(Optional.empty(), reader.read(write("broken" + i + ".pdf", broken[i])), "file " + i);
        }
        // cut in half: PDFBox may recover some of it, but must neither throw nor invent a court
        Optional<PdfMetadata.Meta> half = reader.read(write("half.pdf", Arrays.copyOf(good, good.length / 2)));
        half.ifPresent(m -> assertTrue(m.court() == null || m.court().equals(COURT), m.toString()));
        assertEquals(Optional.empty(), reader.read(dir.resolve("missing.pdf")));
        assertEquals(Optional.empty(), reader.read(dir));
    }

    @Test
    void aPdfThatNeedsAPasswordGivesNothing() throws IOException {
        byte[] locked = ChinesePdfs.builder().line(COURT).line("民事判决书").line(CASE)
                .encrypt("user-secret", "owner-secret").bytes();
        assertTrue(new String(locked, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/Encrypt"));

        assertEquals(Optional.empty(), reader.read(write("locked.pdf", locked)));
    }

    @Test
    void aPdfWithOnlyAnOwnerPasswordIsRead() throws IOException {
        byte[] restricted = ChinesePdfs.builder().line(COURT).line("应诉通知书").line(CASE)
                .encrypt("", "owner-secret").bytes();
        assertTrue(new String(restricted, java.nio.charset.StandardCharsets.ISO_8859_1).contains("/Encrypt"));

        assertEquals(new PdfMetadata.Meta("应诉通知书", COURT, CASE),
                reader.read(write("restricted.pdf", restricted)).orElseThrow());
    }

    @Test
    void filesOverTheSizeCapAreNotOpened() throws IOException {
        byte[] pdf = ChinesePdfs.page(COURT, "民事判决书", CASE);
        Path file = write("big.pdf", pdf);

        assertEquals(Optional.empty(), new PdfMetadata(pdf.length - 1).read(file));
        assertEquals("民事判决书", new PdfMetadata(pdf.length).read(file).orElseThrow().title());
    }

    // ------------------------------------------------------------------ text rules

    @Test
    void kangxiRadicalsReadAsOrdinaryCharacters() {
        // U+2F34 ⼴ and U+2F08 ⼈ are what some court PDFs' ToUnicode maps give
        PdfMetadata.Meta meta = PdfMetadata.fromText("\u2F34东省\u2F34州市天河区\u2F08民法院\n举证通知书\n");
        assertEquals(COURT, meta.court());
        assertEquals("举证通知书", meta.title());
    }

    @Test
    void onlyShortLinesNearTheTopAreTitles() {
        StringBuilder text = new StringBuilder("广州市天河区人民法院\n");
        for (int i = 0; i < 15; i++) {
            text.append("第").append(i).append("行正文内容\n");
        }
        text.append("民事判决书\n");
        assertNull(PdfMetadata.fromText(text.toString()).title(), "a title below the top lines is not taken");

        assertNull(PdfMetadata.fromText("本院依法向你送达本案的起诉状副本应诉通知书举证通知书及传票等诉讼文书和受理案件通知书\n").title(),
                "a long sentence ending in a kind is body text");
        assertEquals("民事起诉状副本", PdfMetadata.fromText("民事起诉状副本\n").title());
        assertNull(PdfMetadata.fromText("（2026）粤0106民初1234号通知书\n").title(), "digits: not a title line");
    }

    @Test
    void courtIsALineEndingInFayuanNearTheTop() {
        assertEquals("最高人民法院", PdfMetadata.fromText("最高人民法院\n民事裁定书\n").court());
        assertNull(PdfMetadata.fromText("一\n二\n三\n四\n五\n六\n广州市天河区人民法院\n").court(), "seventh line");
        assertNull(PdfMetadata.fromText("请到法院\n").court(), "two characters before 法院 are no court");
        assertEquals("上海海事法院", PdfMetadata.fromText("上海海事法院\n").court());
        assertEquals("沙县人民法院", PdfMetadata.fromText("沙县人民法院\n").court());
        assertNull(PdfMetadata.fromText("广州市天河区人民法院审判庭\n").court());
    }

    @Test
    void documentKindsAndTheTitleRule() {
        assertTrue(PdfMetadata.isDocumentKind("民 事 判 决 书"));
        assertTrue(PdfMetadata.isDocumentKind("（2026）粤0106民初1234号起诉状副本"));
        assertFalse(PdfMetadata.isDocumentKind("20260315_001"));
        assertFalse(PdfMetadata.isDocumentKind(null));

        assertEquals("民事判决书", DocumentIntake.title("20260315_001", "民事判决书"), "file-name title loses");
        assertEquals("民事判决书", DocumentIntake.title(null, "民事判决书"));
        assertEquals("民事判决书", DocumentIntake.title(" ", "民事判决书"));
        assertEquals("传票", DocumentIntake.title("传票", "民事判决书"), "a portal title naming a kind stays");
        assertEquals("20260315_001", DocumentIntake.title("20260315_001", null));
        assertNull(DocumentIntake.title(null, null));
    }

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }
}
