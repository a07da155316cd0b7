package dev.yieldloop.demo.cpu;

import dev.yieldloop.demo.DemoException;
import dev.yieldloop.demo.report.StrategyResult;
import dev.yieldloop.demo.strategy.ComparisonCommand;
import dev.yieldloop.demo.strategy.Strategy;
import dev.yieldloop.demo.strategy.StrategySettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cpu}: the article's CPU-bound workload, {@code sum(i * i for i in range(n))} for 20 numbers from {@code
 * --base}, computed by each strategy in turn, with the same table and JSON shape as {@code io}; the checksum is the
 * wrapped total of the 20 sums. The workload is {@link Sums}; the strategies are those of {@code
 * dev.yieldloop.demo.strategy}, shared with {@code io}.
 */
@Command(
        name = "cpu",
        mixinStandardHelpOptions = true,
        description = {
            "CPU-bound workload: sum of i*i for i < n over 20 numbers, computed sequentially, by a thread pool, by"
                    + " virtual threads (JDK 21+), as tasks on one event loop, and by a pool of worker processes.",
            "Threads gain here, unlike in Python (no GIL); the event loop cannot, because it is one thread."
        })
public final class CpuCommand extends ComparisonCommand {

    /**
     * The default first number: one billion, so that the sequential run takes a few seconds (about 6 s on the 2-core
     * machine of {@code docs/results.md}; the article's 5 million takes 40 ms in Java) and the process pool's fixed
     * cost (worker start-up and JIT warm-up, about 0.3 s there) is small beside the work, as it would be for any job
     * worth sending to another process.
     */
    public static final long DEFAULT_BASE = 1_000_000_000L;

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

    private StrategySettings settings;

    /** Created by picocli. */
    public CpuCommand() {
        super("cpu", "CPU-bound");
    }

    @Override
    public Integer call() throws Exception {
        int cpus = Runtime.getRuntime().availableProcessors();
        settings = validate(cpus);
        List<Strategy> chosen = chosenStrategies();
        PrintWriter out = out();
        long[] numbers = SumOfSquares.numbers(base, count);
        out.println("CPU-bound: sum of i*i for i < n, for " + count + " numbers n = " + base + " … "
                + (base + count - 1) + ", on " + cpus + " CPUs (ideal bound: sequential ÷ parallelism, at most "
                + cpus + ")");
        out.flush();
        out.println("  warming up the JIT: " + SumOfSquares.warmUp()
                + " (every strategy then runs the same compiled code)");
        compare(
                out,
                chosen,
                settings,
                numbers.length,
                "numbers",
                count + " sums of squares per strategy",
                progress -> new Sums(numbers, progress),
                true);
        for (StrategyResult r : results()) {
            if (r.errors() > 0) {
                throw new IllegalStateException("computing a sum failed: " + r.firstError());
            }
        }
        return 0;
    }

    /** The sequential time ÷ the strategy's parallelism, once {@code sequential} has run. */
    @Override
    protected long idealBoundNanos(Strategy strategy, StrategySettings settings) {
        long sequential = results().stream()
                .filter(r -> r.strategy().equals("sequential") && !r.skipped())
                .mapToLong(StrategyResult::wallNanos)
                .findFirst()
                .orElse(-1);
        return sequential < 0 ? -1 : sequential / strategy.parallelism(settings);
    }

    private StrategySettings validate(int cpus) throws DemoException {
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
        return StrategySettings.of(t, p);
    }

    @Override
    protected Map<String, Object> jsonParameters() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("base", base);
        params.put("count", count);
        params.put("threads", settings.threads());
        params.put("processes", settings.processes());
        params.put("cpus", Runtime.getRuntime().availableProcessors());
        params.put("javaVersion", Runtime.version().toString());
        return params;
    }
}
