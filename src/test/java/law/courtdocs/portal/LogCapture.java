package law.courtdocs.portal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/**
 * Collects what the adapters log (below {@code law.courtdocs.portal}), formatted, so tests can
 * assert that phones, codes and link tokens never reach a log line.
 */
final class LogCapture extends Handler implements AutoCloseable {

    private static final String CATEGORY = "law.courtdocs.portal";

    final List<String> lines = new CopyOnWriteArrayList<>();

    static LogCapture start() {
        LogCapture capture = new LogCapture();
        Logger.getLogger(CATEGORY).addHandler(capture);
        return capture;
    }

    String all() {
        return String.join("\n", lines);
    }

    @Override
    public void publish(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        lines.add(record.getLoggerName() + " " + record.getLevel() + " " + message);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        Logger.getLogger(CATEGORY).removeHandler(this);
    }
}
