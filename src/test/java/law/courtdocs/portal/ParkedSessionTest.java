package law.courtdocs.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParkedSessionTest {

    final ParkedSession parked = new ParkedSession(
            List.of(new ParkedSession.Cookie("http://dzsd.hbfy.gov.cn", "JSESSIONID", "A1B2C3", "dzsd.hbfy.gov.cn", "/",
                    false, true)),
            Map.of("uuid", "9f8e7d", "t", "1764630000000"));

    @Test
    void survivesTheTripThroughJsonThatIsSealedInTheDatabase() {
        assertEquals(parked, ParkedSession.fromJson(parked.toJson()));
    }

    @Test
    void printsNeitherCookieValuesNorTheAdaptersValuesNorTheAnswer() {
        String printed = parked.toString() + new PortalSession.Resume(parked, "4711");
        assertFalse(printed.contains("A1B2C3"), printed);
        assertFalse(printed.contains("9f8e7d"), printed);
        assertFalse(printed.contains("4711"), printed);
    }
}
