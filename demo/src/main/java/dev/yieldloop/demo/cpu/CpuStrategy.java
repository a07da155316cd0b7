package dev.yieldloop.demo.cpu;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.demo.report.Progress;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * One way to compute the CPU-bound workload: the demo runs each strategy on the same numbers and compares wall time,
 * threads, memory and checksum. One implementation per file, one contract test over all of them.
 */
public interface CpuStrategy {

    /**
     * The name used on the command line, in the table and in the JSON file.
     *
     * @return e.g. {@code process-pool}
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
     * How many numbers this strategy can compute at the same instant, for the ideal bound (sequential time ÷
     * parallelism): 1 for one thread, otherwise its threads or processes capped by the cores.
     *
     * @param settings the run's settings
     * @return at least 1
     */
    int parallelism(CpuSettings settings);

    /**
     * Computes {@link SumOfSquares#compute(long)} of every number.
     *
     * @param numbers the inputs
     * @param settings threads and processes
     * @param progress told once per number finished (thread-safe)
     * @return the results, by index
     * @throws Exception if the strategy breaks
     */
    long[] run(long[] numbers, CpuSettings settings, Progress progress) throws Exception;

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
     * @return {@code min(workers, availableProcessors)}
     */
    static int onCores(int workers) {
        return Math.max(1, Math.min(workers, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Loop thread only. Runs {@code loop} until every promise has succeeded or one has failed ({@link Promise#all}),
     * stepping {@code progress} once per success: how the loop-driven strategies wait for their 20 sums.
     *
     * @param loop the loop the promises belong to, driven here by {@link EventLoop#run()}
     * @param sums one promise per number, in input order
     * @param progress told once per number finished
     * @return the sums, by index
     * @throws ExecutionException wrapping the first failure; the loop stops at once rather than waiting for the rest
     */
    static long[] runUntilAll(EventLoop loop, List<Promise<Long>> sums, Progress progress) throws ExecutionException {
        for (Promise<Long> sum : sums) {
            sum.onComplete(p -> {
                if (p.isSucceeded()) {
                    progress.step();
                }
            });
        }
        Promise<List<Long>> all = Promise.all(loop, sums);
        all.onComplete(p -> loop.stop());
        loop.run();
        if (!all.isSucceeded()) {
            throw new ExecutionException("computing a sum failed: " + all.failure(), all.failure());
        }
        return all.result().stream().mapToLong(Long::longValue).toArray();
    }
}
