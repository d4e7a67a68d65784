package law.courtdocs.browser;

import com.microsoft.playwright.Browser;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import law.courtdocs.config.CourtConfig;

/**
 * One Playwright driver and Chromium per worker thread, reused across jobs (a browser start costs
 * far more than a context), replaced after {@code court.browser.recycle-after} jobs to bound
 * leaks in long-lived Chromium processes, or at once after a crash. Nothing is started until a
 * worker thread asks, so an API-only process never starts a browser.
 */
@ApplicationScoped
public class BrowserPool {

    private static final class Slot {
        BrowserLauncher.Launched launched;
        int jobs;
    }

    private final BrowserLauncher.Settings settings;
    private final int recycleAfter;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    private final Set<Slot> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    public BrowserPool(CourtConfig config) {
        this.settings = new BrowserLauncher.Settings(config.browser().executable(), config.httpProxy(),
                config.browser().headless());
        this.recycleAfter = Math.max(1, config.browser().recycleAfter());
    }

    /** The calling thread's browser for one more job; starts or replaces it when due. */
    public Browser browserForJob() {
        if (closed) {
            throw new IllegalStateException("browser pool is shut down");
        }
        Slot slot = slots.get();
        if (slot.launched != null && (slot.jobs >= recycleAfter || !slot.launched.browser().isConnected())) {
            Log.debugf("recycling browser on %s after %d jobs", Thread.currentThread().getName(), slot.jobs);
            close(slot);
        }
        if (slot.launched == null) {
            slot.launched = BrowserLauncher.launch(settings);
            slot.jobs = 0;
            all.add(slot);
            Log.infof("started Chromium %s on %s", slot.launched.browser().version(), Thread.currentThread().getName());
        }
        slot.jobs++;
        return slot.launched.browser();
    }

    /** Drops the calling thread's browser (it crashed or misbehaved); the next job starts a new one. */
    public void discardCurrent() {
        close(slots.get());
    }

    /** Browsers running now, for health and tests. */
    public int running() {
        return (int) all.stream().filter(s -> s.launched != null).count();
    }

    private void close(Slot slot) {
        BrowserLauncher.Launched launched = slot.launched;
        slot.launched = null;
        slot.jobs = 0;
        all.remove(slot);
        if (launched != null) {
            try {
                launched.close();
            } catch (RuntimeException e) {
                Log.debugf("closing a browser failed: %s", e.getMessage());
            }
        }
    }

    @PreDestroy
    void closeAll() {
        closed = true;
        // Worker threads have stopped taking jobs by now; closing from here is the only way left.
        all.forEach(this::close);
    }
}
