package law.courtdocs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobDocumentsZipNamesTest {

    @Test
    void duplicatesGetANumberBeforeTheExtension() {
        assertEquals(List.of("民事判决书.pdf", "传票.pdf", "民事判决书_2.pdf", "民事判决书_3.pdf"),
                JobDocumentsZipResource.uniqueNames(List.of("民事判决书.pdf", "传票.pdf", "民事判决书.pdf", "民事判决书.pdf")));
    }

    @Test
    void namesWithoutExtensionCaseAndTakenSuffixes() {
        assertEquals(List.of("传票", "传票_2"), JobDocumentsZipResource.uniqueNames(List.of("传票", "传票")));
        assertEquals(List.of("Scan.PDF", "scan_2.pdf"), JobDocumentsZipResource.uniqueNames(List.of("Scan.PDF", "scan.pdf")),
                "names differing only in case collide when unzipped on Windows or macOS");
        assertEquals(List.of("a.pdf", "a_2.pdf", "a_3.pdf"), JobDocumentsZipResource.uniqueNames(List.of("a.pdf", "a_2.pdf", "a.pdf")),
                "a suffix already taken moves on");
        assertEquals(List.of("a.tar.gz", "a.tar_2.gz"), JobDocumentsZipResource.uniqueNames(List.of("a.tar.gz", "a.tar.gz")));
    }
}
