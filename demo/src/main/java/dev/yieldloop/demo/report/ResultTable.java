package dev.yieldloop.demo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * Renders a workload's results as a plain-text table: strategy, wall time, speed-up against {@code sequential}, the
 * ideal bound, peak threads, peak heap, ok, errors and checksum, followed by a line saying whether the checksums agree.
 *
 * <p>The ideal bound is what perfect concurrency would take for that strategy (for IO: delay × ⌈N / concurrency⌉), so a
 * reader sees how far each strategy is from its own limit, not only from the others.
 */
public final class ResultTable {

    private static final String[] HEADER = {
        "strategy", "wall", "vs sequential", "ideal bound", "peak threads", "peak heap", "ok", "errors", "checksum"
    };

    private ResultTable() {}

    /**
     * Renders the table.
     *
     * @param results the results, in run order; skipped ones get a row with their reason
     * @param idealBoundNanos the ideal bound of a strategy, by name, in nanoseconds, or a negative number for "n/a"
     * @return the table, lines separated by {@code \n}, ending with the checksum verdict line
     */
    public static String render(List<StrategyResult> results, ToLongFunction<String> idealBoundNanos) {
        StrategyResult sequential = results.stream()
                .filter(r -> r.strategy().equals("sequential") && !r.skipped())
                .findFirst()
                .orElse(null);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        List<String> skippedLines = new ArrayList<>();
        for (StrategyResult r : results) {
            if (r.skipped()) {
                rows.add(new String[] {r.strategy(), "skipped", "", "", "", "", "", "", ""});
                skippedLines.add(r.strategy() + " skipped: " + r.reason());
                continue;
            }
            long ideal = idealBoundNanos.applyAsLong(r.strategy());
            rows.add(new String[] {
                r.strategy(),
                millis(r.wallNanos()),
                sequential == null || r.wallNanos() == 0
                        ? "n/a"
                        : String.format(Locale.ROOT, "%.1fx", (double) sequential.wallNanos() / r.wallNanos()),
                ideal < 0 ? "n/a" : millis(ideal),
                Integer.toString(r.peakThreads()),
                mebibytes(r.peakHeapBytes()),
                Long.toString(r.ok()),
                Long.toString(r.errors()),
                r.checksum() == null ? "-" : shortChecksum(r.checksum())
            });
        }
        StringBuilder out = new StringBuilder();
        int[] widths = new int[HEADER.length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String cell = row[i];
                boolean left = i == 0 || i == row.length - 1;
                String pad = " ".repeat(widths[i] - cell.length());
                line.append(left ? cell + pad : pad + cell).append(i == row.length - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                int total = 0;
                for (int w : widths) {
                    total += w + 2;
                }
                out.append("-".repeat(total - 2)).append('\n');
            }
        }
        for (String line : skippedLines) {
            out.append(line).append('\n');
        }
        out.append(checksumVerdict(results));
        return out.toString();
    }

    /**
     * One line saying whether every strategy that ran produced the same checksum.
     *
     * @param results the results
     * @return e.g. {@code checksums: all 4 equal (3f2a…)} or {@code checksums: MISMATCH …}
     */
    public static String checksumVerdict(List<StrategyResult> results) {
        List<StrategyResult> ran = results.stream().filter(r -> !r.skipped()).toList();
        if (ran.isEmpty()) {
            return "checksums: nothing ran";
        }
        String first = ran.get(0).checksum();
        boolean equal = ran.stream().allMatch(r -> Objects.equals(r.checksum(), first));
        if (equal) {
            return "checksums: all " + ran.size() + " equal (" + first + ")";
        }
        StringBuilder s = new StringBuilder("checksums: MISMATCH");
        for (StrategyResult r : ran) {
            s.append(' ').append(r.strategy()).append('=').append(r.checksum());
        }
        return s.toString();
    }

    /**
     * Formats nanoseconds as milliseconds, or seconds past 10 s.
     *
     * @param nanos a duration in nanoseconds
     * @return e.g. {@code 412 ms} or {@code 16.3 s}
     */
    public static String millis(long nanos) {
        if (nanos >= 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
        }
        return (nanos / 1_000_000) + " ms";
    }

    private static String mebibytes(long bytes) {
        return String.format(Locale.ROOT, "%.0f MiB", bytes / (1024.0 * 1024.0));
    }

    private static String shortChecksum(String checksum) {
        return checksum.length() <= 12 ? checksum : checksum.substring(0, 12);
    }
}
