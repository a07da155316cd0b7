package dev.yieldloop;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Logging for the loop's own error paths, which must work when the process has run out of file descriptors or memory:
 * it never throws, and needs no file and no class the JVM has not loaded already.
 *
 * <p>Why: the JDK's default {@link System.Logger} backend (java.util.logging with its {@code SimpleFormatter}) reads
 * {@code logging.properties} on first use and the time-zone database {@code tzdb.dat} on the first date it formats. If
 * the first warning a server logs is "accept failed: too many open files", opening those files fails too, and the
 * resulting {@link NoClassDefFoundError} would escape from the error path. So {@link #warmUp()} (called by every
 * {@link EventLoop} constructor) makes the backend and the time zone rules load while descriptors are plentiful, and
 * {@link #log} falls back to one plain line on {@link System#err} if logging still throws (libuv and Netty likewise
 * keep their EMFILE paths free of allocation-heavy work).
 *
 * <p>Expected network events (a reset, a broken pipe, a timeout, a client's bad request) go through {@link
 * #expected}: one line with the peer, the stack trace only when the logger is at DEBUG.
 *
 * <p>Threading: thread-safe.
 */
public final class LoopLog {

    private static final AtomicBoolean WARMED_UP = new AtomicBoolean();

    private LoopLog() {}

    /**
     * Thread-safe. Loads, once per JVM, what the default logging backend needs to format a record: its configuration
     * (through {@link System.Logger#isLoggable}) and the time-zone rules and locale data a timestamp needs. Later
     * calls return at once. Never throws.
     */
    public static void warmUp() {
        if (!WARMED_UP.compareAndSet(false, true)) {
            return;
        }
        try {
            System.getLogger(LoopLog.class.getName()).isLoggable(System.Logger.Level.ERROR);
            ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault());
            // The shape of java.util.logging.SimpleFormatter's default timestamp, formatted once and thrown away.
            String.format(Locale.getDefault(), "%1$tb %1$td, %1$tY %1$tl:%1$tM:%1$tS %1$Tp %1$tZ", now);
            fallback(null, "", null); // loads the fallback's own path
        } catch (Throwable t) {
            // warming up is best effort: log() still falls back to System.err
        }
    }

    /**
     * Thread-safe. Logs {@code message} (and {@code error}'s stack trace, if any) at {@code level}; if the logger
     * throws anything, writes one plain line to {@link System#err} instead. Never throws.
     *
     * @param logger where to log
     * @param level the level
     * @param message the text
     * @param error the cause, or null
     */
    public static void log(System.Logger logger, System.Logger.Level level, String message, Throwable error) {
        try {
            if (error == null) {
                logger.log(level, message);
            } else {
                logger.log(level, message, error);
            }
        } catch (Throwable broken) {
            fallback(level, message, error);
        }
    }

    /**
     * Thread-safe. Logs an expected network event as one line, {@code message: error}, at {@code level}; the stack
     * trace is added only when {@code logger} is loggable at {@link System.Logger.Level#DEBUG}. Never throws.
     *
     * @param logger where to log
     * @param level the level of the one line, normally DEBUG or INFO
     * @param message what happened, naming the peer (e.g. {@code "127.0.0.1:51234 reset the connection"})
     * @param error the cause, or null
     */
    public static void expected(System.Logger logger, System.Logger.Level level, String message, Throwable error) {
        boolean trace;
        try {
            if (!logger.isLoggable(level)) {
                return;
            }
            trace = error != null && logger.isLoggable(System.Logger.Level.DEBUG);
        } catch (Throwable broken) {
            fallback(level, message, error);
            return;
        }
        log(logger, level, error == null ? message : message + ": " + error, trace ? error : null);
    }

    private static void fallback(System.Logger.Level level, String message, Throwable error) {
        try {
            PrintStream err = System.err;
            StringBuilder line = new StringBuilder(128);
            line.append("yieldloop ")
                    .append(level == null ? "" : level.getName())
                    .append(": ")
                    .append(message);
            if (error != null) {
                line.append(": ").append(error);
            }
            if (level != null) {
                err.println(line);
            }
        } catch (Throwable ignored) {
            // nothing is left to report with
        }
    }
}
