package law.courtdocs.portal;

/**
 * Thrown by {@link PortalSession#solveCaptcha(byte[], ParkedSession)} when nobody can answer now:
 * the worker ends the attempt, frees its slot and keeps the image and the session with the job
 * until a person answers. Not a failure, and not a {@link PortalException}, so an adapter's own
 * error handling never swallows it: adapters let it pass.
 */
public final class CaptchaParked extends RuntimeException {

    private final transient byte[] image;
    private final transient ParkedSession session;

    public CaptchaParked(byte[] image, ParkedSession session) {
        super("waiting for a person to answer the captcha", null, false, false);
        this.image = image;
        this.session = session;
    }

    public byte[] image() {
        return image;
    }

    public ParkedSession session() {
        return session;
    }
}
