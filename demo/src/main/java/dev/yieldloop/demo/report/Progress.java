package dev.yieldloop.demo.report;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress of a long run on standard error: {@code   sequential: 80/160 downloads}. On a terminal it is one line
 * redrawn in place every {@value #PERIOD_MILLIS} ms; otherwise (a pipe, a log file, CI) it prints a milestone line as
 * the run passes 25, 50 and 75 %, so a log holds a few lines, not one per second. Runs shorter than {@value
 * #PERIOD_MILLIS} ms print nothing.
 *
 * <p>Besides whole steps (a download, a number), a strategy whose steps finish together (the event loop's CPU tasks
 * all end near the end) can report finer work: {@link #addWork(long)} and {@link #worked(long)}; the line then shows
 * the share of that work done.
 *
 * <p>Threading: {@link #step()}, {@link #addWork(long)} and {@link #worked(long)} are thread-safe (a strategy's
 * workers call them); {@link #close()} from the thread that started it.
 */
public final class Progress implements AutoCloseable {

    /** Redraw period on a terminal, and the shortest run that shows progress, in milliseconds. */
    public static final long PERIOD_MILLIS = 500;

    /** The percentages at which a non-terminal prints a line. */
    static final int[] MILESTONES = {25, 50, 75};

    private final AtomicLong done = new AtomicLong();
    private final AtomicLong workTotal = new AtomicLong();
    private final AtomicLong workDone = new AtomicLong();
    private final String label;
    private final long total;
    private final String unit;
    private final PrintStream out;
    private final boolean terminal;
    private final Thread ticker;
    private volatile boolean printed;

    private Progress(String label, long total, String unit, PrintStream out, boolean terminal) {
        this.label = label;
        this.total = total;
        this.unit = unit;
        this.out = out;
        this.terminal = terminal;
        if (out == null) {
            ticker = null;
            return;
        }
        ticker = new Thread(this::tick, "progress");
        ticker.setDaemon(true);
        ticker.start();
    }

    /**
     * Starts reporting, redrawing one line when standard output is a terminal ({@link System#console()}) and
     * printing milestone lines otherwise.
     *
     * @param label what runs, e.g. the strategy name
     * @param total how many steps make the whole run
     * @param unit what a step is, e.g. {@code downloads}
     * @param out where to print (standard error), or null to print nothing
     * @return the running reporter; close it when the run ends
     */
    public static Progress start(String label, long total, String unit, PrintStream out) {
        return new Progress(label, total, unit, out, System.console() != null);
    }

    /**
     * Starts reporting in the given mode: for tests.
     *
     * @param label what runs
     * @param total steps in the run
     * @param unit what a step is
     * @param out where to print
     * @param terminal true to redraw one line, false for milestone lines
     * @return the running reporter
     */
    static Progress start(String label, long total, String unit, PrintStream out, boolean terminal) {
        return new Progress(label, total, unit, out, terminal);
    }

    /**
     * A reporter that prints nothing.
     *
     * @return a silent reporter
     */
    public static Progress silent() {
        return new Progress("", 0, "", null, false);
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

    /**
     * Thread-safe. Adds to the run's fine-grained work, e.g. a number's iterations.
     *
     * @param units work units, at least 0
     */
    public void addWork(long units) {
        workTotal.addAndGet(units);
    }

    /**
     * Thread-safe. Some fine-grained work is done, e.g. one slice of a sum.
     *
     * @param units work units done
     */
    public void worked(long units) {
        workDone.addAndGet(units);
    }

    /**
     * Thread-safe. The share of the run done, from the fine-grained work when there is some, else from the steps.
     *
     * @return 0 to 100
     */
    public int percent() {
        long wt = workTotal.get();
        if (wt > 0) {
            return (int) Math.min(100, workDone.get() * 100 / wt);
        }
        return total <= 0 ? 100 : (int) Math.min(100, done.get() * 100 / total);
    }

    /**
     * Thread-safe. The progress line's text.
     *
     * @return e.g. {@code "  event-loop: 3/20 numbers (41 %)"}
     */
    public String line() {
        return String.format(Locale.ROOT, "  %s: %d/%d %s (%d %%)", label, done.get(), total, unit, percent());
    }

    private void tick() {
        int nextMilestone = 0;
        try {
            while (true) {
                Thread.sleep(PERIOD_MILLIS);
                if (terminal) {
                    out.print("\r" + line());
                    out.flush();
                    printed = true;
                    continue;
                }
                int percent = percent();
                boolean passed = false;
                while (nextMilestone < MILESTONES.length && percent >= MILESTONES[nextMilestone]) {
                    nextMilestone++;
                    passed = true;
                }
                if (passed) {
                    out.println(line());
                    out.flush();
                    printed = true;
                }
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
            out.print("\r" + " ".repeat(line().length() + 2) + "\r");
            out.flush();
        }
    }
}
