package law.courtdocs.portal;

import law.courtdocs.job.ErrorCode;

/** A failed download, classified: the code says whether and when the job is tried again. */
public class PortalException extends Exception {

    private final ErrorCode code;

    public PortalException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public PortalException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
