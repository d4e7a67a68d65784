package law.courtdocs.browser;

import com.microsoft.playwright.Browser;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import law.courtdocs.config.CourtConfig;
import law.courtdocs.metrics.CourtMetrics;

/**
 * One Playwright driver and Chromium per worker thread, reused across jobs (a browser start costs
 * far more than a context), replaced after {@code court.browser.recycle-after} jobs to bound
 * leaks in long-lived Chromium processes, or at once after a crash. Nothing is started until a
 * worker thread asks, so an API-only process never starts a browser.
 */
@ApplicationScoped
public class BrowserPool {

    private static final class Slot {
        volatile BrowserLauncher.Launched launched;
        int jobs;
        String thread;
        /** When the watchdog first saw the slot's Chromium gone (System.nanoTime), 0 while it runs. */
        volatile long goneSince;
        /** The watchdog stopped this slot's driver: whatever the browser objects say, it is dead. */
        volatile boolean lost;
    }

    /**
     * How long a slot's Chromium may be gone before the watchdog stops its driver. Normally the
     * driver notices a dead browser at once and the worker's call fails; this is for the times it
     * does not (a browser killed while a page is being created leaves that call waiting forever).
     */
    static final Duration LOST_AFTER = Duration.ofSeconds(5);

    private final BrowserLauncher.Settings settings;
    private final int recycleAfter;
    private final ThreadLocal<Slot> slots = ThreadLocal.withInitial(Slot::new);
    private final Set<Slot> all = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private final CourtMetrics metrics;

    public BrowserPool(CourtConfig config, CourtMetrics metrics) {
        this.metrics = metrics;
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
        if (slot.launched != null
                && (slot.lost || slot.jobs >= recycleAfter || !slot.launched.browser().isConnected())) {
            Log.debugf("recycling browser on %s after %d jobs", Thread.currentThread().getName(), slot.jobs);
            metrics.browserReplaced(slot.lost || !slot.launched.browser().isConnected());
            close(slot);
        }
        if (slot.launched == null) {
            slot.launched = BrowserLauncher.launch(settings);
            slot.jobs = 0;
            slot.thread = Thread.currentThread().getName();
            slot.goneSince = 0;
            slot.lost = false;
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

    /** Whether the watchdog found the calling thread's browser dead and stopped its driver. */
    public boolean currentLost() {
        return slots.get().lost;
    }

    /**
     * Looks at every slot's processes: a driver whose Chromium is gone for {@link #LOST_AFTER} is
     * stopped, which makes any Playwright call blocked on it fail at once (the worker then records
     * BROWSER_CRASHED and retries the job), and the slot is replaced on its next job. Without
     * this, such a call blocks its worker thread, and its job stays RUNNING with a live lease, forever.
     */
    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void watchdog() {
        long now = System.nanoTime();
        for (Slot slot : all) {
            BrowserLauncher.Launched launched = slot.launched;
            if (launched == null || slot.lost || launched.driver().isEmpty()) {
                continue;
            }
            ProcessHandle driver = launched.driver().get();
            if (!driver.isAlive() || driver.descendants().anyMatch(BrowserLauncher::isChromium)) {
                slot.goneSince = 0;
                continue;
            }
            if (slot.goneSince == 0) {
                slot.goneSince = now;
            } else if (now - slot.goneSince >= LOST_AFTER.toNanos()) {
                Log.warnf("Chromium of %s is gone and its Playwright driver (pid %d) did not notice; stopping the driver",
                        slot.thread, driver.pid());
                slot.lost = true;
                driver.descendants().forEach(ProcessHandle::destroyForcibly);
                driver.destroyForcibly();
            }
        }
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
