package dev.yieldloop.bench.micro;

import dev.yieldloop.bench.Machine;
import dev.yieldloop.bench.Row;
import dev.yieldloop.bench.VirtualThreadSupport;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code micro}: the JMH benchmarks, run programmatically from the bench jar, each with its peers in the same run,
 * then the heap per idle task.
 *
 * <p>Full run: 1 fork per benchmark, 3 warm-up iterations of 1 s, 5 measured iterations of 1 s, heap 1 GiB, virtual
 * threads on one carrier. {@code --quick}: no fork (in the bench's own JVM), 1 warm-up of 100 ms, 2 measured of 100
 * ms, 10,000 timers instead of 1,000,000: a smoke run whose figures are not to be quoted.
 *
 * <p>Not thread-safe: the bench's main thread.
 */
public final class MicroCommand {

    /** One benchmark method and what it stands for in the report. */
    private record Spec(
            String benchmark,
            Class<?> type,
            String method,
            String system,
            boolean needsVirtualThreads,
            String watchdog) {
        Spec(String benchmark, Class<?> type, String method, String system, boolean needsVirtualThreads) {
            this(benchmark, type, method, system, needsVirtualThreads, null);
        }
    }

    private static final List<Spec> SPECS = List.of(
            new Spec("yield", YieldBench.class, "yieldloopCoroutine", "yieldloop", false),
            new Spec("yield", YieldBench.class, "yieldloopCoroutine", "yieldloop-watchdog-off", false, "off"),
            new Spec("yield", YieldBench.class, "virtualThreads", "virtual-threads", true),
            new Spec("spawn-complete", SpawnBench.class, "yieldloop", "yieldloop", false),
            new Spec("spawn-complete", SpawnBench.class, "yieldloop", "yieldloop-watchdog-off", false, "off"),
            new Spec("spawn-complete", SpawnBench.class, "virtualThreads", "virtual-threads", true),
            new Spec("promise-chain-map", PromiseChainBench.class, "yieldloop", "yieldloop", false),
            new Spec("promise-chain-map", PromiseChainBench.class, "completableFuture", "completable-future", false),
            new Spec("timer-schedule-fire", TimerBench.class, "yieldloop", "yieldloop", false),
            new Spec("timer-schedule-fire", TimerBench.class, "nettySchedule", "netty-loop-schedule", false),
            new Spec("timer-schedule-fire", TimerBench.class, "hashedWheelTimer", "netty-hashed-wheel-timer", false),
            new Spec("execute-cross-thread", ExecuteBench.class, "yieldloop", "yieldloop", false),
            new Spec("execute-cross-thread", ExecuteBench.class, "yieldloop", "yieldloop-watchdog-off", false, "off"),
            new Spec("execute-cross-thread", ExecuteBench.class, "netty", "netty", false),
            new Spec("execute-cross-thread", ExecuteBench.class, "jctoolsDrain", "jctools-mpsc-drain", false),
            new Spec("submit-round-trip", SubmitBench.class, "yieldloop", "yieldloop", false),
            new Spec("submit-round-trip", SubmitBench.class, "netty", "netty", false));

    /** The straight-line body strategy is not in this build of the loop; its rows are absent, not invented. */
    public static final String STRAIGHT_LINE_NOTE =
            "the straight-line body (EventLoop.spawnAsync) is not in this build: no row for it";

    /**
     * The loop's slow-step watchdog stays on (the loop's defaults are what is measured), but on a shared machine a
     * preempted benchmark thread trips it; its warnings are silenced here. Held strongly: JUL keeps loggers weakly.
     */
    private static final java.util.logging.Logger WATCHDOG_LOG =
            java.util.logging.Logger.getLogger("dev.yieldloop.Watchdog");

    private MicroCommand() {}

    /**
     * Runs every micro benchmark and the heap probe.
     *
     * @param quick the smoke settings
     * @param out where progress goes
     * @return the rows, in print order
     * @throws RunnerException if JMH cannot run
     */
    public static List<Row> run(boolean quick, PrintStream out) throws RunnerException {
        int forks = quick ? 0 : 1;
        int warmups = quick ? 1 : 3;
        int iterations = quick ? 2 : 5;
        long iterationMillis = quick ? 100 : 1000;
        String vtReason = VirtualThreadSupport.unavailableReason();
        WATCHDOG_LOG.setLevel(java.util.logging.Level.SEVERE);
        if (quick && System.getProperty("jdk.virtualThreadScheduler.parallelism") == null) {
            System.setProperty("jdk.virtualThreadScheduler.parallelism", "1"); // no fork: our own JVM, before any
        }
        out.printf(
                "micro: JMH %s, forks %d%s, warm-up %d x %d ms, measured %d x %d ms; virtual threads on one carrier%n",
                "1.37",
                forks,
                forks == 0 ? " (in this JVM: a smoke run)" : "",
                warmups,
                iterationMillis,
                iterations,
                iterationMillis);
        out.println("micro: " + STRAIGHT_LINE_NOTE);
        List<Row> rows = new ArrayList<>();
        for (Spec spec : SPECS) {
            if (spec.needsVirtualThreads() && vtReason != null) {
                rows.add(
                        Row.skipped(spec.benchmark(), spec.system(), metric(spec), unit(spec), higher(spec), vtReason));
                continue;
            }
            String load = Machine.awaitQuiet(0.25, quick ? 0 : 5_000);
            out.printf("micro: %s / %s (load %s)%n", spec.benchmark(), spec.system(), load);
            ChainedOptionsBuilder opts = new OptionsBuilder()
                    .include(spec.type().getName() + "\\." + spec.method() + "$")
                    .forks(forks)
                    .warmupIterations(warmups)
                    .warmupTime(TimeValue.milliseconds(iterationMillis))
                    .measurementIterations(iterations)
                    .measurementTime(TimeValue.milliseconds(iterationMillis))
                    .jvmArgsAppend(forkArgs())
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT);
            if (spec.watchdog() != null) {
                opts.param("watchdog", spec.watchdog());
            }
            if (spec.type() == TimerBench.class) {
                opts.mode(org.openjdk.jmh.annotations.Mode.AverageTime)
                        .timeUnit(TimeUnit.NANOSECONDS)
                        .param("timers", quick ? "10000" : "1000000");
            } else if (spec.type() == SubmitBench.class) {
                opts.mode(org.openjdk.jmh.annotations.Mode.AverageTime).timeUnit(TimeUnit.MICROSECONDS);
            } else {
                opts.mode(org.openjdk.jmh.annotations.Mode.Throughput).timeUnit(TimeUnit.SECONDS);
            }
            Collection<RunResult> results;
            try {
                results = new Runner(opts.build()).run();
            } catch (RunnerException | RuntimeException e) {
                rows.add(Row.failed(
                        spec.benchmark(), spec.system(), metric(spec), unit(spec), higher(spec), oneLine(e)));
                continue;
            }
            if (results.isEmpty()) {
                rows.add(Row.failed(
                        spec.benchmark(), spec.system(), metric(spec), unit(spec), higher(spec), "JMH gave no result"));
                continue;
            }
            RunResult result = results.iterator().next();
            Result<?> primary = result.getPrimaryResult();
            double score = primary.getScore();
            double error = Double.isNaN(primary.getScoreError()) ? 0 : primary.getScoreError();
            if (spec.type() == TimerBench.class) {
                // average nanoseconds per invocation of `timers` timers -> timers per second
                int perInvocation = TimerBench.perInvocation(result.getParams());
                double rate = perInvocation * 1e9 / score;
                double rateError = error == 0 ? 0 : rate * error / score;
                rows.add(Row.ok(spec.benchmark(), spec.system(), "throughput", "ops/s", rate, rateError, true, load)
                        .withNote(perInvocation + " timers per invocation"));
            } else {
                rows.add(Row.ok(
                        spec.benchmark(), spec.system(), metric(spec), unit(spec), score, error, higher(spec), load));
            }
        }
        rows.addAll(HeapProbe.measure(quick ? 10_000 : 100_000));
        return rows;
    }

    /** The forks' JVM flags; on JDK 23+ JMH's own use of {@code sun.misc.Unsafe} is allowed without a warning. */
    private static String[] forkArgs() {
        List<String> args = new ArrayList<>(List.of("-Xms1g", "-Xmx1g", "-Djdk.virtualThreadScheduler.parallelism=1"));
        if (Runtime.version().feature() >= 23) {
            args.add("--sun-misc-unsafe-memory-access=allow");
        }
        return args.toArray(new String[0]);
    }

    private static String metric(Spec spec) {
        return spec.type() == SubmitBench.class ? "latency-avg" : "throughput";
    }

    private static String unit(Spec spec) {
        return spec.type() == SubmitBench.class ? "us/op" : "ops/s";
    }

    private static boolean higher(Spec spec) {
        return spec.type() != SubmitBench.class;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName()
                + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }
}
