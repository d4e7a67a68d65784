package law.courtdocs.config;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Derives settings from {@code court.role} ({@code COURT_ROLE}) so one switch picks the role:
 * an {@code api} process does not consume the jobs queue (and so never starts a browser).
 */
public class RoleConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        ConfigValue role = context.getValue("court.role");
        boolean api = role != null && role.getValue() != null
                && role.getValue().strip().toLowerCase(Locale.ROOT).equals("api");
        return List.of(new PropertiesConfigSource(
                Map.of("mp.messaging.incoming.jobs.enabled", String.valueOf(!api)),
                "court-role", 275));
    }
}
