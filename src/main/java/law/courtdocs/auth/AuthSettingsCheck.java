package law.courtdocs.auth;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import law.courtdocs.config.CourtConfig;
import org.eclipse.microprofile.config.Config;

/** Says at start-up, once, what an API process without token settings will do: refuse everyone. */
@ApplicationScoped
class AuthSettingsCheck {

    void onStart(@Observes StartupEvent ignored, CourtConfig court, Config config) {
        if (!court.role().servesApi()) {
            return;
        }
        boolean key = config.getOptionalValue("mp.jwt.verify.publickey.location", String.class).isPresent()
                || config.getOptionalValue("mp.jwt.verify.publickey", String.class).isPresent();
        if (!key) {
            Log.warn("no token verification key (MP_JWT_VERIFY_PUBLICKEY_LOCATION): every /api/v1 request will get 401");
        }
        if (config.getOptionalValue("mp.jwt.verify.issuer", String.class).isEmpty()) {
            Log.warn("MP_JWT_VERIFY_ISSUER is not set: tokens of any issuer signed with the trusted key are accepted");
        }
    }
}
