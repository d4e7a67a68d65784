package law.courtdocs.secrets;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import law.courtdocs.config.CourtConfig;

/**
 * The service's one {@link SecretBox}, keyed by {@code court.secrets.key}. Values are sealed for
 * one job (its id is the associated data), so a sealed column copied to another job's row does
 * not open there.
 */
@ApplicationScoped
public class JobSecrets {

    private final Optional<SecretBox> box;

    public JobSecrets(CourtConfig config) {
        this.box = config.secrets().key().filter(k -> !k.isBlank()).map(SecretBox::fromBase64);
        if (box.isEmpty()) {
            Log.warn("court.secrets.key is not set: jobs carrying portal credentials will be refused");
        }
    }

    /** Whether a key is configured; without one nothing secret may be accepted. */
    public boolean available() {
        return box.isPresent();
    }

    public byte[] seal(byte[] plaintext, UUID jobId) {
        return box().seal(plaintext, jobId.toString());
    }

    public byte[] open(byte[] sealed, UUID jobId) {
        return box().open(sealed, jobId.toString());
    }

    /**
     * Seals a secret that belongs to something other than a job (a webhook subscription, a chat
     * channel): {@code owner} names it, e.g. {@code "webhook:" + id}, and is the associated data.
     */
    public byte[] sealFor(byte[] plaintext, String owner) {
        return box().seal(plaintext, owner);
    }

    public byte[] openFor(byte[] sealed, String owner) {
        return box().open(sealed, owner);
    }

    /** See {@link SecretBox#fingerprint}; needs the key like sealing does. */
    public String fingerprint(String value) {
        return box().fingerprint(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private SecretBox box() {
        return box.orElseThrow(() -> new IllegalStateException("court.secrets.key is not set"));
    }
}
