package dev.yieldloop.demo.strategy;

/**
 * One way to run a {@link Workload}: sequentially, on a thread pool, on virtual threads, as tasks on one event loop, or
 * on a pool of worker processes. The demo runs each strategy on the same workload and compares wall time, threads,
 * memory and checksum. One implementation per file, one contract test over all of them ({@code StrategyContractTest}),
 * and each serves both the IO-bound and the CPU-bound workload.
 *
 * <p>Threading: {@link #run} is called on one thread at a time; a strategy keeps what {@link #note()} reports from its
 * last run.
 */
public interface Strategy {

    /**
     * The name used on the command line, in the table and in the JSON file.
     *
     * @return e.g. {@code event-loop}
     */
    String name();

    /**
     * Why this strategy cannot run on this JVM, or null when it can.
     *
     * @return a sentence, or null
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * How many items this strategy has in flight at once: what bounds a waiting workload, whose ideal time is delay ×
     * ⌈N / concurrency⌉.
     *
     * @param settings the run's settings
     * @param items how many items the run holds
     * @return at least 1
     */
    int concurrency(StrategySettings settings, int items);

    /**
     * How many items this strategy can compute at the same instant: what bounds a computing workload, whose ideal time
     * is the sequential time ÷ parallelism. By default its {@link #concurrency} with no cap from the item count, capped by
     * the cores; a strategy with one thread says 1.
     *
     * @param settings the run's settings
     * @return at least 1, at most the available processors
     */
    default int parallelism(StrategySettings settings) {
        return onCores(concurrency(settings, Integer.MAX_VALUE));
    }

    /**
     * Runs every item of {@code workload} once, recording each outcome (success or failure, never neither) before
     * returning.
     *
     * @param workload the items and where their outcomes go
     * @param settings threads, processes, limit
     * @param <R> one item's result
     * @throws Exception if the strategy itself breaks (an item's failure is recorded, not thrown)
     */
    <R> void run(Workload<R> workload, StrategySettings settings) throws Exception;

    /**
     * A line about the last run worth printing under the table, or null.
     *
     * @return e.g. the process pool's start-up time
     */
    default String note() {
        return null;
    }

    /**
     * The parallelism of {@code workers} threads or processes on this machine: never more than its cores.
     *
     * @param workers threads or processes
     * @return {@code min(workers, availableProcessors)}, at least 1
     */
    static int onCores(int workers) {
        return Math.max(1, Math.min(workers, Runtime.getRuntime().availableProcessors()));
    }
}
