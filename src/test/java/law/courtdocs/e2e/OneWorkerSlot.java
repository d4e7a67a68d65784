package law.courtdocs.e2e;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/** One job at a time per worker (also the prefetch): shows what holds the slot and what does not. */
public class OneWorkerSlot implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("court.worker.slots", "1");
    }
}
