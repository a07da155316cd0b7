package dev.yieldloop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Captures what one class logs through {@link System.Logger} (backed by java.util.logging here) for the length of a
 * try-with-resources block, and keeps it off the console: tests that provoke failures stay quiet, and can assert
 * what was, or was not, reported.
 */
public final class CapturedLog implements AutoCloseable {
    private final Logger logger;
    private final boolean parentHandlers;
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private CapturedLog(Class<?> source) {
        this.logger = Logger.getLogger(source.getName());
        this.parentHandlers = logger.getUseParentHandlers();
        handler.setLevel(Level.ALL);
        logger.addHandler(handler);
        logger.setUseParentHandlers(false);
    }

    /**
     * Starts capturing what {@code source} logs.
     *
     * @param source the class whose logger to capture
     * @return the capture; close it to restore the logger
     */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /**
     * The messages logged at WARNING or above so far.
     *
     * @return a copy, oldest first
     */
    public List<String> warnings() {
        List<String> out = new ArrayList<>();
        synchronized (records) {
            for (LogRecord r : records) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    out.add(r.getMessage());
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(parentHandlers);
    }
}
