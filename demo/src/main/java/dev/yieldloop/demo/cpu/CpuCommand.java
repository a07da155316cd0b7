package dev.yieldloop.demo.cpu;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.Strategies;
import dev.yieldloop.demo.report.HtmlReport;
import dev.yieldloop.demo.report.Json;
import dev.yieldloop.demo.report.Measurement;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.report.ReportSections;
import dev.yieldloop.demo.report.ResultTable;
import dev.yieldloop.demo.report.StrategyResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cpu}: the article's CPU-bound workload, {@code sum(i * i for i in range(n))} for 20 numbers from {@code
 * --base}, computed by each strategy in turn, with the same table and JSON shape as {@code io}; the checksum is the
 * wrapped total of the 20 sums.
 */
@Command(
        name = "cpu",
        mixinStandardHelpOptions = true,
        description = {
            "CPU-bound workload: sum of i*i for i < n over 20 numbers, computed sequentially, by a thread pool, by"
                    + " virtual threads (JDK 21+), as tasks on one event loop, and by a pool of worker processes.",
            "Threads gain here, unlike in Python (no GIL); the event loop cannot, because it is one thread."
        })
public final class CpuCommand implements Callable<Integer> {

    /**
     * The default first number: one billion, so that the sequential run takes a few seconds (about 6 s on the 2-core
     * machine of {@code docs/results.md}; the article's 5 million takes 40 ms in Java) and the process pool's fixed
     * cost (worker start-up and JIT warm-up, about 0.3 s there) is small beside the work, as it would be for any job
     * worth sending to another process.
     */
    public static final long DEFAULT_BASE = 1_000_000_000L;

    /** Every strategy by name, in the order the table shows them. */
    static final Map<String, Supplier<CpuStrategy>> STRATEGIES = byName();

    /** Every strategy's name, in the order the table shows them. */
    public static final List<String> ALL_STRATEGIES = List.copyOf(STRATEGIES.keySet());

    @Spec
    CommandSpec spec;

    @Option(
            names = "--base",
            defaultValue = "" + DEFAULT_BASE,
            description = "First number n; the workload sums i*i for i < n, for n = base … base+count-1"
                    + " (default: ${DEFAULT-VALUE}).")
    long base;

    @Option(
            names = "--count",
            defaultValue = "" + SumOfSquares.COUNT,
            description = "How many numbers (default: ${DEFAULT-VALUE}, as in the article).")
    int count;

    @Option(
            names = "--threads",
            description = "Platform threads of the 'threads' strategy (default: available processors).")
    Integer threads;

    @Option(
            names = "--processes",
            description = "Worker processes of the 'process-pool' strategy (default: available processors).")
    Integer processes;

    @Option(
            names = "--strategies",
            split = ",",
            paramLabel = "LIST",
            description = "Comma-separated strategies to run (default: all of sequential, threads, virtual-threads,"
                    + " event-loop, process-pool).")
    List<String> strategies;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the results as JSON to FILE.")
    Path jsonFile;

    @Option(
            names = "--report",
            paramLabel = "DIR",
            description = "Also write a self-contained report, DIR/index.html (tables, charts; no network needed).")
    Path reportDir;

    private ToLongFunction<String> idealBound = name -> -1;

    private List<StrategyResult> results = List.of();

    /** Created by picocli. */
    public CpuCommand() {}

    /**
     * The results of the last {@link #call()}, for the tour's summary.
     *
     * @return the results in run order, empty before a run
     */
    public List<StrategyResult> results() {
        return results;
    }

    /**
     * The ideal bound of a strategy in the last {@link #call()}: the sequential time divided by its parallelism.
     *
     * @param strategy the strategy's name
     * @return nanoseconds, or -1 when unknown (no sequential run, or before a run)
     */
    public long idealBoundNanos(String strategy) {
        return idealBound.applyAsLong(strategy);
    }

    @Override
    public Integer call() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        CpuSettings settings = validate(cpus);
        List<CpuStrategy> chosen = chooseStrategies(strategies == null ? ALL_STRATEGIES : strategies);
        PrintWriter out = spec == null
                ? new PrintWriter(System.out, true)
                : spec.commandLine().getOut();
        long[] numbers = SumOfSquares.numbers(base, count);
        out.println("CPU-bound: sum of i*i for i < n, for " + count + " numbers n = " + base + " … "
                + (base + count - 1) + ", on " + cpus + " CPUs (ideal bound: sequential ÷ parallelism, at most "
                + cpus + ")");
        out.flush();
        out.println("  warming up the JIT: " + SumOfSquares.warmUp()
                + " (every strategy then runs the same compiled code)");
        results = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (CpuStrategy strategy : chosen) {
            results.add(runOne(strategy, numbers, settings, out));
            if (strategy.note() != null) {
                notes.add(strategy.note());
            }
        }
        long sequentialNanos = results.stream()
                .filter(r -> r.strategy().equals("sequential") && !r.skipped())
                .mapToLong(StrategyResult::wallNanos)
                .findFirst()
                .orElse(-1);
        out.println();
        idealBound = name -> {
            if (sequentialNanos < 0) {
                return -1;
            }
            return chosen.stream()
                    .filter(s -> s.name().equals(name))
                    .mapToLong(s -> sequentialNanos / s.parallelism(settings))
                    .findFirst()
                    .orElse(-1);
        };
        out.println(ResultTable.render(results, idealBound));
        for (String note : notes) {
            out.println(note);
        }
        out.flush();
        if (jsonFile != null) {
            writeJson(jsonFile, cpus, settings);
            out.println("wrote " + jsonFile);
        }
        if (reportDir != null) {
            HtmlReport report = new HtmlReport("Yieldloop: CPU-bound workload");
            ReportSections.workload(
                    report, "cpu", "CPU-bound", count + " sums of squares per strategy", results, idealBound);
            out.println("wrote " + report.write(reportDir));
        }
        return 0;
    }

    private CpuSettings validate(int cpus) throws DemoException {
        if (base < 0) {
            throw new DemoException("--base must be >= 0, got " + base);
        }
        if (count < 1 || count > 10_000) {
            throw new DemoException("--count must be in 1..10000, got " + count);
        }
        if (base > Long.MAX_VALUE - count) {
            throw new DemoException("--base + --count must stay below 2^63, got " + base + " + " + count);
        }
        int t = threads == null ? cpus : threads;
        int p = processes == null ? cpus : processes;
        if (t < 1 || t > 1024) {
            throw new DemoException("--threads must be in 1..1024, got " + t);
        }
        if (p < 1 || p > 64) {
            throw new DemoException("--processes must be in 1..64, got " + p);
        }
        return new CpuSettings(t, p);
    }

    /**
     * The strategies named, in the order given.
     *
     * @param names strategy names
     * @return new strategy instances
     * @throws DemoException for an unknown name, listing the known ones
     */
    static List<CpuStrategy> chooseStrategies(List<String> names) throws DemoException {
        return Strategies.choose(names, STRATEGIES);
    }

    private static Map<String, Supplier<CpuStrategy>> byName() {
        Map<String, Supplier<CpuStrategy>> m = new LinkedHashMap<>();
        m.put("sequential", SequentialCpuStrategy::new);
        m.put("threads", ThreadPoolCpuStrategy::new);
        m.put("virtual-threads", VirtualThreadCpuStrategy::new);
        m.put("event-loop", EventLoopCpuStrategy::new);
        m.put("process-pool", ProcessPoolCpuStrategy::new);
        return Collections.unmodifiableMap(m);
    }

    private StrategyResult runOne(CpuStrategy strategy, long[] numbers, CpuSettings settings, PrintWriter out)
            throws Exception {
        StrategyResult skipped = Strategies.announce(out, strategy.name(), strategy.unavailableReason());
        if (skipped != null) {
            return skipped;
        }
        long[][] computed = new long[1][];
        Measurement m;
        try (Progress progress = Progress.start(strategy.name(), numbers.length, "numbers", System.err)) {
            m = Measurement.of(() -> computed[0] = strategy.run(numbers, settings, progress));
        }
        return new StrategyResult(
                strategy.name(),
                false,
                null,
                m.wallNanos(),
                computed[0].length,
                0,
                m.peakThreads(),
                m.peakHeapBytes(),
                SumOfSquares.checksum(computed[0]),
                null);
    }

    private void writeJson(Path file, int cpus, CpuSettings settings) throws DemoException {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("base", base);
        params.put("count", count);
        params.put("threads", settings.threads());
        params.put("processes", settings.processes());
        params.put("cpus", cpus);
        params.put("javaVersion", Runtime.version().toString());
        Json.writeWorkload(
                file, "cpu", params, results.stream().map(Json::toMap).toList());
    }
}
