package dev.yieldloop.demo.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How busy the rest of the machine was during a run: the CPU time other processes used, as a share of all CPUs, read
 * from Linux's {@code /proc/stat} (every CPU's busy time) minus {@code /proc/self/stat} (this JVM's time plus that of
 * its children once they exit: the demo's server and worker processes). Where {@code /proc} is missing the load is
 * unknown.
 *
 * <p>Threading: a meter is started and stopped on one thread.
 */
public final class LoadMeter {

    private final long startBusy;
    private final long startOwn;
    private final long startNanos;

    private LoadMeter(long busy, long own) {
        this.startBusy = busy;
        this.startOwn = own;
        this.startNanos = System.nanoTime();
    }

    /**
     * Starts measuring.
     *
     * @return the meter
     */
    public static LoadMeter start() {
        return new LoadMeter(machineBusyTicks(), ownTicks());
    }

    /**
     * The load since {@link #start()}.
     *
     * @return the load, {@link Load#UNKNOWN} without {@code /proc}
     */
    public Load stop() {
        long busy = machineBusyTicks();
        long own = ownTicks();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (busy < 0 || own < 0 || startBusy < 0 || startOwn < 0 || seconds <= 0) {
            return Load.UNKNOWN;
        }
        double ticksPerSecond = 100; // USER_HZ, 100 on every Linux build
        double capacity = seconds * ticksPerSecond * Runtime.getRuntime().availableProcessors();
        double others = Math.max(0, (busy - startBusy) - (own - startOwn));
        return new Load(Math.min(100, 100 * others / capacity));
    }

    /**
     * Other processes' CPU use during a run.
     *
     * @param othersPercent their CPU time as a percentage of all CPUs' time, or -1 when unknown
     */
    public record Load(double othersPercent) {

        /** The load where it cannot be measured. */
        public static final Load UNKNOWN = new Load(-1);

        /**
         * Whether the load was measured.
         *
         * @return false when unknown
         */
        public boolean known() {
            return othersPercent >= 0;
        }

        @Override
        public String toString() {
            return known()
                    ? String.format(
                            Locale.ROOT, "other processes used %.0f %% of the CPUs during the run", othersPercent)
                    : "the machine's load is unknown here (no /proc)";
        }
    }

    /** user + nice + system + irq + softirq + steal of the {@code cpu} line, in USER_HZ ticks; -1 if unreadable. */
    static long machineBusyTicks() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) { // idle, iowait
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** utime + stime + cutime + cstime of this process, in USER_HZ ticks; -1 if unreadable. */
    static long ownTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
