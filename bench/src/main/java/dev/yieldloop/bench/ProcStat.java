package dev.yieldloop.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and resident memory of another process, from {@code /proc/PID/stat} and {@code /proc/PID/status} (Linux).
 *
 * <p>Thread-safe (stateless).
 */
public final class ProcStat {

    /** Clock ticks per second of {@code utime}/{@code stime}: 100 on every Linux this runs on ({@code USER_HZ}). */
    static final long TICKS_PER_SECOND = 100;

    private ProcStat() {}

    /**
     * User plus system CPU time of a process, all its threads included.
     *
     * @param pid the process id
     * @return nanoseconds of CPU time (10 ms resolution), or -1 when {@code /proc} cannot be read
     */
    public static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            // the command name (field 2) may contain spaces: fields after the closing parenthesis start at 3
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long utime = Long.parseLong(f[11]);
            long stime = Long.parseLong(f[12]);
            return (utime + stime) * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return ProcessHandle.of(pid)
                    .flatMap(p -> p.info().totalCpuDuration())
                    .map(d -> d.toNanos())
                    .orElse(-1L);
        }
    }

    /**
     * Resident set size of a process ({@code VmRSS}).
     *
     * @param pid the process id
     * @return bytes, or -1 when {@code /proc} cannot be read
     */
    public static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or the process is gone
        }
        return -1;
    }
}
