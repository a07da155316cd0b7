package dev.yieldloop.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the machine is and how busy it is: CPU model and count, memory, kernel, {@code /proc/loadavg}, and a bounded
 * wait for the other load on a shared machine to settle before a measurement.
 *
 * <p>Thread-safe (stateless).
 */
public final class Machine {

    private Machine() {}

    /**
     * The machine's description for the JSON report.
     *
     * @return cpu model, cpus, memory in bytes, os, kernel, whether {@code taskset} pins, the load at start
     */
    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuModel", cpuModel());
        m.put("cpus", Runtime.getRuntime().availableProcessors());
        m.put("memoryBytes", memTotalBytes());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("kernel", System.getProperty("os.version"));
        m.put("taskset", Pinning.available());
        m.put("loadavgAtStart", loadavg());
        return m;
    }

    /**
     * The JDK's one-line description.
     *
     * @return e.g. {@code 25.0.1+8-LTS Eclipse Adoptium OpenJDK 64-Bit Server VM}
     */
    public static String jdk() {
        return Runtime.version() + " " + System.getProperty("java.vendor") + " " + System.getProperty("java.vm.name");
    }

    /**
     * The JDK, its flags and its garbage collectors, for {@code --jdk-info}.
     *
     * @return several lines
     */
    public static String jdkInfo() {
        StringBuilder sb = new StringBuilder();
        sb.append("JDK: ").append(jdk()).append('\n');
        sb.append("java.home: ").append(System.getProperty("java.home")).append('\n');
        sb.append("VM arguments: ")
                .append(ManagementFactory.getRuntimeMXBean().getInputArguments())
                .append('\n');
        ManagementFactory.getGarbageCollectorMXBeans()
                .forEach(gc -> sb.append("GC: ").append(gc.getName()).append('\n'));
        sb.append("max heap: ")
                .append(Runtime.getRuntime().maxMemory() / (1024 * 1024))
                .append(" MiB\n");
        sb.append("CPU: ")
                .append(cpuModel())
                .append(" x ")
                .append(Runtime.getRuntime().availableProcessors());
        return sb.toString();
    }

    /**
     * The first three fields of {@code /proc/loadavg} (1, 5 and 15 minute averages of runnable tasks).
     *
     * @return e.g. {@code 0.52 0.61 0.70}, or {@code unknown} off Linux
     */
    public static String loadavg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Waits until the machine's other load is low or {@code maxMillis} pass, so that a measurement on a shared machine
     * starts when the others are quiet, if they ever are. "Low" is judged on the CPU time actually spent in the last
     * half second ({@code /proc/stat}), because the 1-minute load average still carries the bench's own previous
     * measurement for a minute. Bounded; never fails.
     *
     * @param maxBusy the busy fraction of all CPUs under which to go on, e.g. 0.25
     * @param maxMillis the longest wait, in milliseconds; 0 reads the load once without waiting
     * @return what was read when the wait ended, e.g. {@code loadavg 2.10 1.50 1.00, busy 18%}
     */
    public static String awaitQuiet(double maxBusy, long maxMillis) {
        long deadline = System.nanoTime() + maxMillis * 1_000_000L;
        while (true) {
            double busy = maxMillis == 0 ? Double.NaN : busyFraction(500);
            String load = "loadavg " + loadavg()
                    + (Double.isNaN(busy) ? "" : String.format(java.util.Locale.ROOT, ", busy %.0f%%", busy * 100));
            if (Double.isNaN(busy) || busy < maxBusy || System.nanoTime() >= deadline) {
                return load;
            }
        }
    }

    /**
     * The fraction of all CPUs' time that was not idle over {@code millis}, from {@code /proc/stat}.
     *
     * @param millis how long to sample
     * @return 0..1, or NaN off Linux
     */
    static double busyFraction(long millis) {
        long[] a = cpuTimes();
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
        long[] b = cpuTimes();
        if (a == null || b == null || b[0] <= a[0]) {
            return Double.NaN;
        }
        return 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
    }

    /** Total and idle (idle + iowait) jiffies of all CPUs, or null. */
    private static long[] cpuTimes() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static String cpuModel() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return System.getProperty("os.arch");
    }

    private static long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
