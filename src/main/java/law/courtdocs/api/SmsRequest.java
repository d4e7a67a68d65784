package law.courtdocs.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import law.courtdocs.sms.SmsParser;

/**
 * Body of {@code POST /api/v1/sms}. {@code phones}: the number(s) that received the message, if
 * the sender knows them; an SMS names no phone itself, and jysd logs in by phone, sfdw by its
 * last six digits. {@link #toString()} leaves content and phones out.
 */
public record SmsRequest(
        @NotBlank(message = "content is required") @MultiLine
        @Size(max = SmsParser.MAX_CHARS, message = "content is longer than " + SmsParser.MAX_CHARS + " characters")
        String content,
        Instant receivedAt,
        @Size(max = 128, message = "caseRef is longer than 128 characters") String caseRef,
        @Size(max = 10, message = "at most 10 phones")
        List<@NotNull(message = "a phone must not be null")
            @Pattern(regexp = "[0-9]{3,20}", message = "a phone is 3 to 20 digits") String> phones) {

    @Override
    public String toString() {
        return "SmsRequest[content=" + (content == null ? 0 : content.length()) + " chars, receivedAt=" + receivedAt
                + ", caseRef=" + caseRef + ", phones=" + (phones == null ? 0 : phones.size()) + "]";
    }
}
