package law.courtdocs.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import law.courtdocs.sim.CaptchaImages;
import org.junit.jupiter.api.Test;

/** The API serves a captcha with the media type its bytes show; anything else is not kept. */
class CaptchaImageTypeTest {

    @Test
    void recognisesTheUsualCaptchaFormatsByTheirFirstBytes() {
        assertEquals("image/png", CaptchaService.imageType(new CaptchaImages().next().png()));
        assertEquals("image/jpeg", CaptchaService.imageType(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x10}));
        assertEquals("image/gif", CaptchaService.imageType("GIF89a....".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("image/bmp", CaptchaService.imageType("BM........".getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void anErrorPageIsNotAnImage() {
        assertNull(CaptchaService.imageType("<html><body>系统繁忙</body></html>".getBytes(StandardCharsets.UTF_8)));
        assertNull(CaptchaService.imageType(new byte[0]));
    }
}
