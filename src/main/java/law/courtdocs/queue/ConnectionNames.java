package law.courtdocs.queue;

import io.smallrye.reactive.messaging.ClientCustomizer;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.config.HostName;
import org.eclipse.microprofile.config.Config;

/**
 * Gives every RabbitMQ connection of this process a name of its own ({@code court.queue.client-name}
 * plus what the connection is for). Without it every pod's consumer shows up as {@code jobs
 * (Incoming)}, and there is no way to close, or even find, one pod's connections.
 */
@ApplicationScoped
public class ConnectionNames implements ClientCustomizer<RabbitMQOptions> {

    private final String base;

    public ConnectionNames(CourtConfig config) {
        this.base = config.queue().clientName().filter(n -> !n.isBlank())
                .orElseGet(() -> "court-docs " + config.role().name().toLowerCase(Locale.ROOT) + " " + HostName.current()
                        + " pid " + ProcessHandle.current().pid());
    }

    /** The name shared by all of this process's connections. */
    public String base() {
        return base;
    }

    /** Name of the outbox publisher's connection. */
    public String publisher() {
        return base + " outbox";
    }

    /** Called by the SmallRye RabbitMQ connector for each channel's client. */
    @Override
    public RabbitMQOptions customize(String channel, Config config, RabbitMQOptions options) {
        return options.setConnectionName(base + " " + channel);
    }
}
