package law.courtdocs.sms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CaseNumbersTest {

    @Test
    void firstCaseNumberNormalised() {
        assertEquals(Optional.of("（2026）粤0106民初1234号"),
                CaseNumbers.find("案号：(２０２６) 粤0106民初 1234 号，另案（2025）粤01民终9号"));
        assertEquals(List.of("（2026）粤0106民初1234号", "（2025）粤01民终9号"),
                CaseNumbers.findAll("案号：(２０２６) 粤0106民初 1234 号，另案〔2025〕粤01民终9号"));
    }

    @Test
    void nothingWhereThereIsNoCaseNumber() {
        assertEquals(Optional.empty(), CaseNumbers.find(null));
        assertEquals(Optional.empty(), CaseNumbers.find(""));
        assertEquals(Optional.empty(), CaseNumbers.find("（2026）美0106民初1234号"), "no province");
        assertEquals(Optional.empty(), CaseNumbers.find("（2026）粤0106字1234号"), "no case category");
    }
}
