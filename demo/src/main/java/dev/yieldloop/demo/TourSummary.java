package dev.yieldloop.demo;

import dev.yieldloop.demo.race.RaceCommand;
import dev.yieldloop.demo.report.LoadMeter;
import dev.yieldloop.demo.report.StrategyResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The tour's closing table, "which tool for which job": for each workload, the fastest strategy that ran without
 * errors and the speed-up of every strategy against {@code sequential}, all taken from the numbers this run measured,
 * never from expectations.
 */
public final class TourSummary {

    private TourSummary() {}

    /**
     * Renders the summary.
     *
     * @param io the IO-bound results
     * @param cpu the CPU-bound results
     * @param race the race-condition results
     * @return the table and one line of reading per workload, lines separated by {@code \n}
     */
    public static String render(List<StrategyResult> io, List<StrategyResult> cpu, List<RaceCommand.Result> race) {
        return render(io, cpu, race, LoadMeter.Load.UNKNOWN, LoadMeter.Load.UNKNOWN);
    }

    /**
     * Renders the summary, checking each conclusion against the figures first: where a figure contradicts the claim
     * (a noisy machine, a cold JIT), the claim is followed by what was measured and the load of other processes
     * during that workload, instead of standing as if it held.
     *
     * @param io the IO-bound results
     * @param cpu the CPU-bound results
     * @param race the race-condition results
     * @param ioLoad other processes' CPU use during the IO workload
     * @param cpuLoad other processes' CPU use during the CPU workload
     * @return the table and one line of reading per workload, lines separated by {@code \n}
     */
    public static String render(
            List<StrategyResult> io,
            List<StrategyResult> cpu,
            List<RaceCommand.Result> race,
            LoadMeter.Load ioLoad,
            LoadMeter.Load cpuLoad) {
        StringBuilder out = new StringBuilder();
        out.append("Which tool for which job, measured on this machine (")
                .append(Runtime.getRuntime().availableProcessors())
                .append(" CPUs, JDK ")
                .append(Runtime.version().feature())
                .append("):\n");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"workload", "best here", "speed-ups vs sequential"});
        rows.add(row("IO-bound", io));
        rows.add(row("CPU-bound", cpu));
        rows.add(raceRow(race));
        int[] widths = new int[3];
        for (String[] r : rows) {
            for (int i = 0; i < 3; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            out.append(String.format(
                                    Locale.ROOT,
                                    "%-" + widths[0] + "s  %-" + widths[1] + "s  %s",
                                    row[0],
                                    row[1],
                                    row[2])
                            .stripTrailing())
                    .append('\n');
            if (r == 0) {
                out.append("-".repeat(widths[0] + widths[1] + widths[2] + 4)).append('\n');
            }
        }
        out.append("IO-bound: waiting dominates, so the more downloads in flight the better; one event-loop thread"
                + " keeps them all in flight.");
        out.append(SelfCheck.io(io, ioLoad)).append('\n');
        out.append("CPU-bound: only more cores help; Java threads use them (no GIL), processes too but pay JVM"
                + " start-up, and an event loop is one thread.");
        out.append(SelfCheck.cpu(cpu, cpuLoad)).append('\n');
        out.append("Shared state: threads need atomics or locks; loop tasks switch only at marked points, so plain"
                + " code between them is safe.");
        out.append(SelfCheck.race(race));
        return out.toString();
    }

    private static String[] row(String workload, List<StrategyResult> results) {
        List<StrategyResult> clean = results.stream()
                .filter(r -> !r.skipped() && r.errors() == 0 && r.wallNanos() > 0)
                .sorted(Comparator.comparingLong(StrategyResult::wallNanos))
                .toList();
        if (clean.isEmpty()) {
            return new String[] {workload, "nothing ran cleanly", ""};
        }
        StrategyResult sequential = results.stream()
                .filter(r -> r.strategy().equals("sequential") && !r.skipped())
                .findFirst()
                .orElse(null);
        List<String> speedUps = new ArrayList<>();
        for (StrategyResult r : clean) {
            speedUps.add(
                    sequential == null
                            ? r.strategy() + " " + r.wallMillis() + " ms"
                            : String.format(
                                    Locale.ROOT,
                                    "%s %.1fx",
                                    r.strategy(),
                                    (double) sequential.wallNanos() / r.wallNanos()));
        }
        return new String[] {workload, clean.get(0).strategy(), String.join(", ", speedUps)};
    }

    private static String[] raceRow(List<RaceCommand.Result> race) {
        List<String> safe = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (RaceCommand.Result r : race) {
            if (r.safeByConstruction() && r.lost() == 0) {
                safe.add(r.strategy());
            } else if (r.lost() > 0) {
                notes.add(r.strategy() + " lost " + r.lost() + " of " + r.expected());
            } else {
                // never "exact": zero losses from unsynchronised threads is a lucky run, not a correct program
                notes.add(r.strategy() + " lost nothing this run (luck, not safety)");
            }
        }
        String detail = "no update lost by construction: " + String.join(", ", safe)
                + (notes.isEmpty() ? "" : "; " + String.join(", ", notes));
        return new String[] {"shared counter", safe.isEmpty() ? "none safe" : String.join(" / ", safe), detail};
    }
}
