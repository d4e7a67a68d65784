package law.courtdocs.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/jobs/{id}/captcha}: what a person read off the image. */
public record CaptchaAnswerRequest(
        @NotBlank(message = "answer is required")
        @Size(max = 64, message = "answer is longer than 64 characters") String answer) {

    /** Records print their fields; an answer opens a portal session, so it is left out. */
    @Override
    public String toString() {
        return "CaptchaAnswerRequest[answer=…]";
    }
}
