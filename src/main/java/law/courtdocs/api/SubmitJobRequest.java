package law.courtdocs.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/jobs}. */
public record SubmitJobRequest(
        @NotBlank(message = "url is required") @Size(max = 2048, message = "url is longer than 2048 characters") String url,
        @Size(max = 128, message = "caseRef is longer than 128 characters") String caseRef,
        @Min(value = 1, message = "priority must be between 1 and 10")
        @Max(value = 10, message = "priority must be between 1 and 10") Integer priority,
        Boolean force,
        @Valid CredentialsRequest credentials) {

    /** Without credentials, as most callers send it. */
    public SubmitJobRequest(String url, String caseRef, Integer priority, Boolean force) {
        this(url, caseRef, priority, force, null);
    }

    public static final int DEFAULT_PRIORITY = 5;

    boolean forced() {
        return Boolean.TRUE.equals(force);
    }

    int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }
}
