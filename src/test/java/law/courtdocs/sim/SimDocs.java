package law.courtdocs.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Realistic document sets with Chinese titles, shared by tests and the stand-alone simulator. */
public final class SimDocs {

    private SimDocs() {}

    public static List<SimDoc> sampleZxfwDocs() {
        return List.of(
                new SimDoc("民事判决书", "pdf", TestPdfs.pdf("judgment")),
                new SimDoc("传票", "pdf", TestPdfs.pdf("summons")),
                new SimDoc("举证通知书", "pdf", TestPdfs.pdf("evidence notice")));
    }

    /** A ZIP as gdems serves it: UTF-8 entry names, one sub-folder. */
    public static byte[] sampleZip() {
        return zip(Map.of(
                "（2026）粤0106民初1234号/起诉状副本.pdf", TestPdfs.pdf("complaint"),
                "（2026）粤0106民初1234号/应诉通知书.pdf", TestPdfs.pdf("response notice"),
                "传票.pdf", TestPdfs.pdf("gdems summons")));
    }

    public static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : new java.util.TreeMap<>(entries).entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
