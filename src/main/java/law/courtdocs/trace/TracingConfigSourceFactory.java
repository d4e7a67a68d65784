package law.courtdocs.trace;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Traces leave the process only when an OTLP endpoint is set: without one, the sampler keeps
 * nothing (spans still carry trace ids into logs, messages and attempt records, but nothing is
 * exported, so no exporter keeps failing against a collector that is not there). With one, every
 * trace is kept unless {@code quarkus.otel.traces.sampler.arg} says otherwise (this source ranks
 * below application.properties and the environment).
 */
public class TracingConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        boolean endpoint = set(context.getValue("quarkus.otel.exporter.otlp.traces.endpoint"))
                || set(context.getValue("quarkus.otel.exporter.otlp.endpoint"));
        return List.of(new PropertiesConfigSource(
                Map.of("quarkus.otel.traces.sampler.arg", endpoint ? "1.0" : "0.0"), "court-tracing", 100));
    }

    private static boolean set(ConfigValue value) {
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }
}
