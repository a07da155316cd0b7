package dev.yieldloop.demo.strategy;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.report.Json;
import dev.yieldloop.demo.report.OutputOptions;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.report.ReportSections;
import dev.yieldloop.demo.report.ResultTable;
import dev.yieldloop.demo.report.StrategyResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the workload commands {@code io} and {@code cpu} share: the {@code --strategies}, {@code --json} and {@code
 * --report} options, running each chosen strategy over a fresh workload, and the table of wall time, speed-up, ideal
 * bound, peak threads, peak heap, errors and checksum, written to the terminal, the JSON file and the report. A
 * subclass says what the workload is and what its ideal bound is.
 *
 * <p>Threading: one run at a time, on the calling thread.
 */
public abstract class ComparisonCommand implements Callable<Integer> {

    /** Filled in by picocli; null when the command is called without a command line. */
    @Spec
    protected CommandSpec spec;

    @Option(
            names = "--strategies",
            split = ",",
            paramLabel = "LIST",
            description = "Comma-separated strategies to run (default: all of sequential, threads, virtual-threads,"
                    + " event-loop, process-pool).")
    List<String> strategies;

    @Mixin
    OutputOptions output = new OutputOptions();

    private final String id;
    private final String heading;
    private ToLongFunction<String> idealBound = name -> -1;
    private List<StrategyResult> results = List.of();

    /**
     * Creates the command.
     *
     * @param id the workload's id in the JSON file and the report, e.g. {@code io}
     * @param heading the workload's heading, e.g. {@code IO-bound}
     */
    protected ComparisonCommand(String id, String heading) {
        this.id = id;
        this.heading = heading;
    }

    /**
     * The results of the last {@link #call()}, for the tour's summary.
     *
     * @return the results in run order, empty before a run
     */
    public final List<StrategyResult> results() {
        return results;
    }

    /**
     * The ideal bound of a strategy in the last {@link #call()}.
     *
     * @param strategy the strategy's name
     * @return nanoseconds, or -1 when unknown (before a run, or when the workload cannot say)
     */
    public final long idealBoundNanos(String strategy) {
        return idealBound.applyAsLong(strategy);
    }

    /**
     * Where the command prints: the command line's output writer, or standard output without one.
     *
     * @return the writer
     */
    protected final PrintWriter out() {
        return spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
    }

    /**
     * The strategies {@code --strategies} names, in the order given, or all of them.
     *
     * @return new strategy instances
     * @throws DemoException for an unknown name, listing the known ones
     */
    protected final List<Strategy> chosenStrategies() throws DemoException {
        return Strategies.choose(strategies == null ? Strategies.ALL : strategies);
    }

    /**
     * Runs every chosen strategy over a new workload each, then prints the table (and, with {@code printNotes}, each
     * strategy's note under it) and writes the JSON file and the report when asked.
     *
     * @param out where the command prints
     * @param chosen the strategies, in run order
     * @param settings their settings
     * @param items how many items each workload holds
     * @param unit what an item is called, in the plural, for the progress lines
     * @param intro one sentence for the report saying what ran, e.g. {@code 160 downloads per strategy}
     * @param workload makes a run's workload, reporting to the progress line it is given
     * @param printNotes whether to print the strategies' notes under the table
     * @param <W> the workload, which also tallies its outcomes
     * @throws Exception if a strategy itself breaks, or a file cannot be written
     */
    protected final <W extends Workload<?> & Tally> void compare(
            PrintWriter out,
            List<Strategy> chosen,
            StrategySettings settings,
            int items,
            String unit,
            String intro,
            Function<Progress, W> workload,
            boolean printNotes)
            throws Exception {
        results = new ArrayList<>();
        for (Strategy strategy : chosen) {
            results.add(Strategies.measure(out, strategy, settings, items, unit, workload));
        }
        out.println();
        idealBound = name -> chosen.stream()
                .filter(s -> s.name().equals(name))
                .mapToLong(s -> idealBoundNanos(s, settings))
                .findFirst()
                .orElse(-1);
        out.println(ResultTable.render(results, idealBound));
        for (Strategy strategy : chosen) {
            if (printNotes && strategy.note() != null) {
                out.println(strategy.note());
            }
        }
        out.flush();
        if (output.jsonFile() != null) {
            Json.writeWorkload(
                    output.jsonFile(),
                    id,
                    jsonParameters(),
                    results.stream().map(Json::toMap).toList());
            out.println("wrote " + output.jsonFile());
        }
        if (output.reportDir() != null) {
            HtmlReport report = new HtmlReport("Yieldloop: " + heading + " workload");
            ReportSections.workload(report, id, heading, intro, results, idealBound);
            out.println("wrote " + report.write(output.reportDir()));
        }
    }

    /**
     * The ideal bound of {@code strategy} in the run just made; {@link #results()} holds every result by then.
     *
     * @param strategy one of the chosen strategies
     * @param settings their settings
     * @return nanoseconds, or -1 when unknown
     */
    protected abstract long idealBoundNanos(Strategy strategy, StrategySettings settings);

    /**
     * The run's parameters for the JSON file.
     *
     * @return name to value, in the order to write them
     */
    protected abstract Map<String, Object> jsonParameters();
}
