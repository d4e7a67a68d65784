package law.courtdocs.api;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import law.courtdocs.portal.PortalCredentials;

/**
 * {@code credentials} of a submission or a retry: what a portal's door needs. Never echoed,
 * never logged ({@link #toString()} hides the values, as {@link PortalCredentials} does); the
 * validation messages name the rule, never the value.
 */
public record CredentialsRequest(
        @Size(max = 10, message = "at most 10 phones")
        List<@NotNull(message = "a phone must not be null")
            @Pattern(regexp = "[0-9]{3,20}", message = "a phone is 3 to 20 digits") String> phones,
        @Size(min = 1, max = 32, message = "code is 1 to 32 characters") String code,
        @Size(min = 1, max = 64, message = "account is 1 to 64 characters") String account,
        @Size(min = 1, max = 128, message = "password is 1 to 128 characters") String password) {

    /** Blank values count as absent; an object with nothing in it is no credentials at all. */
    PortalCredentials toPortalCredentials() {
        return new PortalCredentials(phones == null ? List.of() : phones.stream().distinct().toList(),
                blankToNull(code), blankToNull(account), blankToNull(password));
    }

    static PortalCredentials of(CredentialsRequest request) {
        return request == null ? PortalCredentials.none() : request.toPortalCredentials();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** Counts and presence only; safe on an invalid request (a null phone), which validation prints. */
    @Override
    public String toString() {
        return "CredentialsRequest[phones=" + (phones == null ? 0 : phones.size()) + ", code=" + (code == null ? "no" : "yes")
                + ", account=" + (account == null ? "no" : "yes") + ", password=" + (password == null ? "no" : "yes") + "]";
    }
}
