package dev.yieldloop.demo.cpu;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.process.ProcessPool;
import dev.yieldloop.process.ProcessPoolOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code process-pool}: the loop offloads every number to a {@link ProcessPool} of worker JVMs and collects the results
 * as promises, the article's {@code multiprocessing.Pool.map}. The wall time includes starting the workers, which is
 * what a user pays; {@link #note()} reports that start-up separately.
 */
public final class ProcessPoolCpuStrategy implements CpuStrategy {

    /** Workers of the last run, 0 before one. */
    private int workers;

    private long startupNanos = -1;

    /** Creates the strategy. */
    public ProcessPoolCpuStrategy() {}

    @Override
    public String name() {
        return "process-pool";
    }

    @Override
    public int parallelism(CpuSettings settings) {
        return CpuStrategy.onCores(settings.processes());
    }

    @Override
    public long[] run(long[] numbers, CpuSettings settings, Progress progress) throws Exception {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("cpu-offload"));
                ProcessPool pool =
                        ProcessPool.start(loop, ProcessPoolOptions.defaults().withWorkers(settings.processes()))) {
            List<Promise<Long>> sums = new ArrayList<>();
            for (long n : numbers) {
                sums.add(pool.submit(SumOfSquaresJob.class, n));
            }
            try {
                return CpuStrategy.runUntilAll(loop, sums, progress);
            } finally {
                workers = settings.processes();
                startupNanos = pool.startupNanos();
            }
        }
    }

    @Override
    public String note() {
        if (workers == 0) {
            return null;
        }
        return startupNanos < 0
                ? "process-pool: the work was done before all " + workers + " worker JVMs had connected"
                : "process-pool: " + workers + " worker JVMs were ready " + startupNanos / 1_000_000
                        + " ms after the pool started (included in its wall time)";
    }
}
