package law.courtdocs.portal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Finds the adapter for a link; adapters are discovered as CDI beans. */
@ApplicationScoped
public class PortalRegistry {

    private final List<PortalAdapter> adapters;

    @Inject
    public PortalRegistry(Instance<PortalAdapter> adapters) {
        this(adapters.stream().toList());
    }

    public PortalRegistry(List<PortalAdapter> adapters) {
        this.adapters = adapters.stream().sorted(Comparator.comparingInt(PortalAdapter::order)).toList();
    }

    public Optional<PortalAdapter> forLink(URI link) {
        return adapters.stream().filter(a -> a.handles(link)).findFirst();
    }

    public Optional<PortalAdapter> byId(String id) {
        return adapters.stream().filter(a -> a.id().equals(id)).findFirst();
    }
}
