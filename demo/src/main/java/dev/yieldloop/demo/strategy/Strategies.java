package dev.yieldloop.demo.strategy;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.Measurement;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.report.StrategyResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Every strategy by name, and what the workload commands do with each: turning {@code --strategies} into instances,
 * refusing unknown names, announcing each one as it starts or is skipped, and measuring its run.
 */
public final class Strategies {

    /** Every strategy by name, in the order the tables show them. */
    static final Map<String, Supplier<Strategy>> BY_NAME = byName();

    /** Every strategy's name, in the order the tables show them. */
    public static final List<String> ALL = List.copyOf(BY_NAME.keySet());

    private Strategies() {}

    private static Map<String, Supplier<Strategy>> byName() {
        Map<String, Supplier<Strategy>> m = new LinkedHashMap<>();
        m.put("sequential", SequentialStrategy::new);
        m.put("threads", ThreadPoolStrategy::new);
        m.put("virtual-threads", VirtualThreadStrategy::new);
        m.put("event-loop", EventLoopStrategy::new);
        m.put("process-pool", ProcessPoolStrategy::new);
        return Collections.unmodifiableMap(m);
    }

    /**
     * The strategies named, in the order given, each a new instance.
     *
     * @param names the names from the command line (surrounding blanks ignored)
     * @return one new strategy per name
     * @throws DemoException for an unknown name, listing the known ones
     */
    public static List<Strategy> choose(List<String> names) throws DemoException {
        List<Strategy> chosen = new ArrayList<>();
        for (String name : names) {
            Supplier<Strategy> make = BY_NAME.get(name.strip());
            if (make == null) {
                throw new DemoException(
                        "unknown strategy '" + name + "'; choose from " + String.join(",", BY_NAME.keySet()));
            }
            chosen.add(make.get());
        }
        return chosen;
    }

    /**
     * Announces a strategy about to run, or that it cannot run here: the line every workload command prints before
     * each strategy.
     *
     * @param out where the command prints
     * @param name the strategy's name
     * @param unavailableReason why it cannot run on this JVM, or null when it can
     * @return the skipped result to record when {@code unavailableReason} is set; null when the strategy should run
     */
    public static StrategyResult announce(PrintWriter out, String name, String unavailableReason) {
        out.println("  " + name + (unavailableReason == null ? " …" : ": skipped (" + unavailableReason + ")"));
        out.flush();
        return unavailableReason == null ? null : StrategyResult.skipped(name, unavailableReason);
    }

    /**
     * Announces {@code strategy}, runs it over a new workload with a progress line on standard error, and measures the
     * run: one row of a workload command's table. Calling thread.
     *
     * @param out where the command prints
     * @param strategy the strategy
     * @param settings its settings
     * @param items how many items the workload holds
     * @param unit what an item is called, in the plural, for the progress line
     * @param workload makes the run's workload, reporting to the progress line it is given
     * @param <W> the workload, which also tallies its outcomes
     * @return the row, or a skipped row when the strategy cannot run here
     * @throws Exception if the strategy itself breaks
     */
    public static <W extends Workload<?> & Tally> StrategyResult measure(
            PrintWriter out,
            Strategy strategy,
            StrategySettings settings,
            int items,
            String unit,
            Function<Progress, W> workload)
            throws Exception {
        StrategyResult skipped = announce(out, strategy.name(), strategy.unavailableReason());
        if (skipped != null) {
            return skipped;
        }
        W run;
        Measurement m;
        try (Progress progress = Progress.start(strategy.name(), items, unit, System.err)) {
            run = workload.apply(progress);
            Workload<?> work = run;
            m = Measurement.of(() -> strategy.run(work, settings));
        }
        return new StrategyResult(
                strategy.name(),
                false,
                null,
                m.wallNanos(),
                run.ok(),
                run.errors(),
                m.peakThreads(),
                m.peakHeapBytes(),
                run.checksum(),
                run.firstError());
    }
}
