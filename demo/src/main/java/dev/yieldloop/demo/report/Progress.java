package dev.yieldloop.demo.report;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long run on standard error: {@code   sequential: 80/160 downloads}, redrawn in place on a terminal
 * (every {@value #PERIOD_MILLIS} ms, once the run has taken longer than that) and printed as plain lines otherwise.
 * Short runs print nothing.
 *
 * <p>Threading: {@link #step()} is thread-safe (a strategy's workers call it); {@link #close()} from the thread that
 * started it.
 */
public final class Progress implements AutoCloseable {

    /** Redraw period, in milliseconds. */
    public static final long PERIOD_MILLIS = 1_000;

    private final AtomicLong done = new AtomicLong();
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private final Thread ticker;
    private volatile boolean printed;

    private Progress(String label, long total, String unit, PrintStream out) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        if (out == null) {
            ticker = null;
            return;
        }
        ticker = new Thread(this::tick, "progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /**
     * Starts reporting.
     *
     * @param label what runs, e.g. the strategy name
     * @param total how many steps make the whole run
     * @param unit what a step is, e.g. {@code downloads}
     * @param out where to print (standard error), or null to print nothing
     * @return the running reporter; close it when the run ends
     */
    public static Progress start(String label, long total, String unit, PrintStream out) {
        return new Progress(label, total, unit, out);
    }

    /**
     * A reporter that prints nothing.
     *
     * @return a silent reporter
     */
    public static Progress silent() {
        return new Progress("", 0, "", null);
    }

    /** Thread-safe. One more step is done. */
    public void step() {
        done.incrementAndGet();
    }

    /**
     * Thread-safe. Steps done so far.
     *
     * @return a count
     */
    public long done() {
        return done.get();
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(PERIOD_MILLIS);
                String text = "  " + label + ": " + done.get() + "/" + total + " " + unit;
                if (terminal) {
                    out.print("\r" + text);
                } else {
                    out.println(text);
                }
                out.flush();
                printed = true;
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    /** Stops reporting and, on a terminal, clears the progress line. */
    @Override
    public void close() {
        if (ticker == null) {
            return;
        }
        ticker.interrupt();
        try {
            ticker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (printed && terminal) {
            out.print("\r" + " ".repeat(label.length() + 40) + "\r");
            out.flush();
        }
    }
}
