package law.courtdocs.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import law.courtdocs.portal.PortalCredentials;
import law.courtdocs.secrets.JobSecrets;

/**
 * {@link PortalCredentials} to and from the sealed bytes in {@code jobs.credentials}: JSON,
 * sealed by {@link JobSecrets} for one job. The plaintext buffer is wiped once sealed or read.
 */
public final class JobCredentials {

    /** The stored form; field names are the API's. */
    private record Stored(List<String> phones, String code, String account, String password) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private JobCredentials() {}

    /** Whether {@code c} carries anything worth storing. */
    public static boolean present(PortalCredentials c) {
        return c != null && (!c.phones().isEmpty() || c.code() != null || c.account() != null || c.password() != null);
    }

    public static byte[] seal(JobSecrets secrets, PortalCredentials c, UUID jobId) {
        byte[] plain;
        try {
            plain = JSON.writeValueAsBytes(new Stored(c.phones(), c.code(), c.account(), c.password()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise credentials", e);
        }
        try {
            return secrets.seal(plain, jobId);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** @throws law.courtdocs.secrets.SecretBox.SecretBoxException when the bytes do not open for this job */
    public static PortalCredentials open(JobSecrets secrets, byte[] sealed, UUID jobId) {
        byte[] plain = secrets.open(sealed, jobId);
        try {
            Stored s = JSON.readValue(plain, Stored.class);
            return new PortalCredentials(s.phones(), s.code(), s.account(), s.password());
        } catch (IOException e) {
            throw new IllegalStateException("stored credentials are not readable", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * A keyed fingerprint of the credentials for comparing two requests (Idempotency-Key), or
     * {@code "-"} for none. Never a plain hash: phones and codes are easily enumerated.
     */
    public static String fingerprint(JobSecrets secrets, PortalCredentials c) {
        if (!present(c)) {
            return "-";
        }
        return secrets.fingerprint(String.join("\u0000", String.join(",", c.phones()), String.valueOf(c.code()),
                String.valueOf(c.account()), String.valueOf(c.password())));
    }
}
