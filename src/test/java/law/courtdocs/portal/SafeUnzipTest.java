package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipOutputStream;
import law.courtdocs.job.ErrorCode;
import law.courtdocs.sim.SimDocs;
import law.courtdocs.sim.TestPdfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeUnzipTest {

    static final SafeUnzip.Limits ROOMY = new SafeUnzip.Limits(100, 10_000_000, 5_000_000);

    @TempDir
    Path tmp;

    @Test
    void extractsFilesKeepingSubFoldersAndSkippingDirectoryEntries() throws Exception {
        byte[] a = TestPdfs.pdf("a");
        byte[] b = TestPdfs.pdf("b");
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("（2026）粤0106民初1234号/", null);
        entries.put("（2026）粤0106民初1234号/起诉状副本.pdf", a);
        entries.put("传票.pdf", b);
        Path target = tmp.resolve("out");

        List<SafeUnzip.Extracted> out = SafeUnzip.extract(write(zip(entries, null)), target, ROOMY);

        assertEquals(List.of("（2026）粤0106民初1234号/起诉状副本.pdf", "传票.pdf"),
                out.stream().map(SafeUnzip.Extracted::entryName).collect(Collectors.toList()));
        assertArrayEquals(a, Files.readAllBytes(target.resolve("（2026）粤0106民初1234号/起诉状副本.pdf")));
        assertArrayEquals(b, Files.readAllBytes(out.get(1).file()));
        assertEquals(3, countUnder(target), "one folder and two files, nothing else");
    }

    @Test
    void sampleZipFromTheSimulatorExtracts() throws Exception {
        List<SafeUnzip.Extracted> out = SafeUnzip.extract(write(SimDocs.sampleZip()), tmp.resolve("out"), ROOMY);
        assertEquals(3, out.size());
        assertTrue(out.stream().anyMatch(e -> e.entryName().equals("（2026）粤0106民初1234号/应诉通知书.pdf")));
    }

    @Test
    void gb18030NamesFromWindowsToolsAreDecoded() throws Exception {
        byte[] pdf = TestPdfs.pdf("gbk");
        Path zip = write(zip(Map.of("民事判决书/判决书（一审）.pdf", pdf), Charset.forName("GB18030")));

        List<SafeUnzip.Extracted> out = SafeUnzip.extract(zip, tmp.resolve("out"), ROOMY);

        assertEquals("民事判决书/判决书（一审）.pdf", out.get(0).entryName());
        assertArrayEquals(pdf, Files.readAllBytes(tmp.resolve("out/民事判决书/判决书（一审）.pdf")));
    }

    @Test
    void backslashSeparatorsBecomeFolders() throws Exception {
        List<SafeUnzip.Extracted> out = SafeUnzip.extract(
                write(zip(Map.of("材料\\传票.pdf", TestPdfs.pdf("x")), null)), tmp.resolve("out"), ROOMY);
        assertEquals("材料/传票.pdf", out.get(0).entryName());
        assertTrue(Files.isRegularFile(tmp.resolve("out/材料/传票.pdf")));
    }

    @Test
    void dotDotEntryIsRejectedAndNothingIsLeftBehind() throws Exception {
        assertRejectedCleanly("../x.pdf");
        assertFalse(Files.exists(tmp.resolve("x.pdf")));
    }

    @Test
    void dotDotInTheMiddleIsRejected() throws Exception {
        assertRejectedCleanly("a/../../x.pdf");
        assertFalse(Files.exists(tmp.resolve("x.pdf")));
    }

    @Test
    void absoluteEntryIsRejected() throws Exception {
        Path outside = tmp.resolve("abs-victim.pdf");
        assertRejectedCleanly(outside.toString());
        assertRejectedCleanly("/tmp/x.pdf");
        assertFalse(Files.exists(outside));
    }

    @Test
    void backslashDotDotIsRejected() throws Exception {
        assertRejectedCleanly("..\\x.pdf");
        assertRejectedCleanly("a\\..\\..\\x.pdf");
        assertFalse(Files.exists(tmp.resolve("x.pdf")));
        assertFalse(Files.exists(tmp.resolve("..\\x.pdf")));
    }

    @Test
    void driveLetterIsRejected() throws Exception {
        assertRejectedCleanly("C:\\Windows\\x.pdf");
        assertRejectedCleanly("c:x.pdf");
    }

    @Test
    void entryCountCapIsEnforced() throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            entries.put("doc" + i + ".pdf", TestPdfs.pdf("n" + i));
        }
        Path target = tmp.resolve("out");
        PortalException e = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip(entries, null)), target, new SafeUnzip.Limits(5, 10_000_000, 5_000_000)));
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
        assertFalse(Files.exists(target));

        // exactly at the cap is fine
        entries.remove("doc5.pdf");
        assertEquals(5, SafeUnzip.extract(write(zip(entries, null)), tmp.resolve("ok"),
                new SafeUnzip.Limits(5, 10_000_000, 5_000_000)).size());
    }

    @Test
    void totalSizeCapCountsRealBytesOfACompressibleEntry() throws Exception {
        // 4 MB of zeros compress to a few KB: the archive is small, its content is not.
        byte[] zip = zip(Map.of("first.pdf", TestPdfs.pdf("first"), "zeros.bin", new byte[4_000_000]), null);
        assertTrue(zip.length < 100_000);
        Path target = tmp.resolve("out");
        PortalException e = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip), target, new SafeUnzip.Limits(10, 1_000_000, 10_000_000)));
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
        assertTrue(e.getMessage().contains("1000000"), e.getMessage());
        assertFalse(Files.exists(target), "first.pdf was written before the bomb and must be gone");
    }

    @Test
    void sizeCapsIgnoreAHeaderThatLies() throws Exception {
        byte[] zip = zip(Map.of("bomb.bin", new byte[3_000_000]), null);
        lieAboutUncompressedSize(zip, 100);
        Path target = tmp.resolve("out");

        PortalException perEntry = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip), target, new SafeUnzip.Limits(10, 100_000_000, 1_000_000)));
        assertEquals(ErrorCode.UNSAFE_CONTENT, perEntry.code());
        assertTrue(perEntry.getMessage().contains("expands"), perEntry.getMessage());
        assertFalse(Files.exists(target));

        PortalException total = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip), target, new SafeUnzip.Limits(10, 1_000_000, 100_000_000)));
        assertEquals(ErrorCode.UNSAFE_CONTENT, total.code());
        assertFalse(Files.exists(target));
    }

    @Test
    void perEntryCapRejectsByDeclaredSizeToo() throws Exception {
        byte[] zip = zip(Map.of("big.bin", new byte[2_000_000]), null);
        PortalException e = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip), tmp.resolve("out"), new SafeUnzip.Limits(10, 100_000_000, 1_000_000)));
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
        assertTrue(e.getMessage().contains("declares"), e.getMessage());
    }

    @Test
    void duplicateEntryNamesAreRejected() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(bytes)) {
            z.putNextEntry(new ZipEntry("a.pdf"));
            z.write(TestPdfs.pdf("one"));
            z.putNextEntry(new ZipEntry("./a.pdf")); // same file once normalised
            z.write(TestPdfs.pdf("two"));
        }
        Path target = tmp.resolve("out");
        PortalException e = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(bytes.toByteArray()), target, ROOMY));
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
        assertFalse(Files.exists(target));
    }

    @Test
    void preExistingTargetIsKeptButEmptiedOfWhatWasWritten() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("out"));
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("ok/first.pdf", TestPdfs.pdf("first"));
        entries.put("../evil.pdf", TestPdfs.pdf("evil"));
        assertThrows(PortalException.class, () -> SafeUnzip.extract(write(zip(entries, null)), target, ROOMY));
        assertTrue(Files.isDirectory(target));
        assertEquals(0, countUnder(target));
    }

    @Test
    void nonEmptyTargetIsRefused() throws Exception {
        Path target = Files.createDirectory(tmp.resolve("out"));
        Files.writeString(target.resolve("mine.txt"), "keep");
        assertThrows(IOException.class, () -> SafeUnzip.extract(write(SimDocs.sampleZip()), target, ROOMY));
        assertEquals("keep", Files.readString(target.resolve("mine.txt")));
    }

    @Test
    void notAZipIsAZipException() throws Exception {
        Path pdf = tmp.resolve("x.pdf");
        Files.write(pdf, TestPdfs.pdf("not a zip"));
        assertThrows(ZipException.class, () -> SafeUnzip.extract(pdf, tmp.resolve("out"), ROOMY));
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    // ---------------------------------------------------------------------------------------

    /** A good entry first, so the test also proves the good one is removed again. */
    private void assertRejectedCleanly(String evilName) throws Exception {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("good/first.pdf", TestPdfs.pdf("first"));
        entries.put(evilName, TestPdfs.pdf("evil"));
        Path target = tmp.resolve("out-" + Math.abs(evilName.hashCode()));
        PortalException e = assertThrows(PortalException.class,
                () -> SafeUnzip.extract(write(zip(entries, null)), target, ROOMY), evilName);
        assertEquals(ErrorCode.UNSAFE_CONTENT, e.code());
        assertFalse(Files.exists(target), "target created by the call is removed again: " + evilName);
    }

    /** Insertion order kept (SimDocs.zip sorts); a null value makes a directory entry. */
    private static byte[] zip(Map<String, byte[]> entries, Charset charset) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream z = charset == null ? new ZipOutputStream(bytes) : new ZipOutputStream(bytes, charset)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                if (e.getValue() != null) {
                    z.write(e.getValue());
                }
                z.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** Rewrites the central directory's uncompressed-size field of every entry. */
    private static void lieAboutUncompressedSize(byte[] zip, int claimed) {
        ByteBuffer buf = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int patched = 0;
        for (int i = 0; i + 46 <= zip.length; i++) {
            if (buf.getInt(i) == 0x02014b50) {
                buf.putInt(i + 24, claimed);
                patched++;
            }
        }
        assertTrue(patched > 0);
    }

    private Path write(byte[] zip) throws IOException {
        return Files.write(Files.createTempFile(tmp, "in", ".zip"), zip);
    }

    private static long countUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> !p.equals(dir)).count();
        }
    }
}
