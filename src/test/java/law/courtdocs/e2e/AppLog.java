package law.courtdocs.e2e;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Everything the running service logs (root logger, every category, every level it emits),
 * formatted with its parameters and exception text, so end-to-end tests can assert that no
 * phone, code, account or password reached a log line.
 */
final class AppLog extends Handler implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    static AppLog start() {
        AppLog capture = new AppLog();
        Logger.getLogger("").addHandler(capture);
        return capture;
    }

    String all() {
        return String.join("\n", lines);
    }

    /** Fails naming the first secret found in the log (without printing the line, which would leak it). */
    void assertFree(String... secrets) {
        String all = all();
        for (String s : secrets) {
            if (s != null && all.contains(s)) {
                throw new AssertionError("a secret (" + s.length() + " chars) reached the log");
            }
        }
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        StringBuilder line = new StringBuilder(record.getLoggerName() + " " + record.getLevel() + " " + message);
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
    }
}
