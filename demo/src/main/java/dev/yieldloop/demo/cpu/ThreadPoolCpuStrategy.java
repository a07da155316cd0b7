package dev.yieldloop.demo.cpu;

import dev.yieldloop.demo.report.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code threads}: a fixed pool of platform threads, one number per submitted task. Here Java parts from the article:
 * Python's GIL lets one thread run bytecode at a time, so its thread pool gains nothing on CPU work; a JVM runs its
 * threads on every core at once, so this strategy scales with the cores like the process pool, without start-up cost.
 */
public final class ThreadPoolCpuStrategy implements CpuStrategy {

    /** Creates the strategy. */
    public ThreadPoolCpuStrategy() {}

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public int parallelism(CpuSettings settings) {
        return CpuStrategy.onCores(settings.threads());
    }

    @Override
    public long[] run(long[] numbers, CpuSettings settings, Progress progress) throws Exception {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = r -> new Thread(r, "cpu-" + threadNumber.incrementAndGet());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), factory);
        try {
            return computeAll(pool, numbers, progress);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Submits one task per number to {@code executor} and collects the results in order.
     *
     * @param executor where the numbers are computed
     * @param numbers the inputs
     * @param progress told once per number finished
     * @return the results, by index
     * @throws Exception the first computation's failure, or an interruption
     */
    static long[] computeAll(ExecutorService executor, long[] numbers, Progress progress) throws Exception {
        List<Future<Long>> futures = new ArrayList<>(numbers.length);
        for (long n : numbers) {
            futures.add(executor.submit(() -> {
                long r = SumOfSquares.compute(n);
                progress.step();
                return r;
            }));
        }
        long[] results = new long[numbers.length];
        for (int i = 0; i < results.length; i++) {
            results[i] = futures.get(i).get();
        }
        return results;
    }
}
