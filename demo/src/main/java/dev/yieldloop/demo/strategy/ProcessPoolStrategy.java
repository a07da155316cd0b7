package dev.yieldloop.demo.strategy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.process.ProcessPool;
import dev.yieldloop.process.ProcessPoolOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code process-pool}: the loop offloads every item to a {@link ProcessPool} of worker JVMs and collects the results
 * as promises, driven by {@link EventLoop#runUntilComplete} over {@link Promise#all}: the article's {@code
 * multiprocessing.Pool.map}. Every item is queued at once. The wall time includes starting the workers, which is what
 * a user pays; {@link #note()} reports that start-up separately.
 *
 * <p>On a computing workload it gains with the cores, minus the start-up. On a waiting workload (the article's {@code
 * io_mp.py}) it works, but each process is a whole JVM waiting on one socket: about ⌈N / P⌉ × delay plus the start-up,
 * no better than P threads and far behind the event loop. Processes are for CPU work.
 */
public final class ProcessPoolStrategy implements Strategy {

    /** Workers of the last run, 0 before one. */
    private int workers;

    private long startupNanos = -1;

    /** Creates the strategy. */
    public ProcessPoolStrategy() {}

    @Override
    public String name() {
        return "process-pool";
    }

    @Override
    public int concurrency(StrategySettings settings, int items) {
        return Math.min(settings.processes(), Math.max(1, items));
    }

    @Override
    public <R> void run(Workload<R> workload, StrategySettings settings) throws Exception {
        if (workload.size() == 0) {
            return;
        }
        ProcessPoolOptions defaults = ProcessPoolOptions.defaults();
        ProcessPoolOptions options = defaults.withWorkers(settings.processes())
                .withMaxQueuedJobs(Math.max(workload.size(), defaults.maxQueuedJobs())); // every item queued at once
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName(workload.name() + "-offload"));
                ProcessPool pool = ProcessPool.start(loop, options)) {
            List<Promise<Void>> recorded = new ArrayList<>(workload.size());
            for (int i = 0; i < workload.size(); i++) {
                recorded.add(workload.recordWhenDone(i, workload.submit(pool, i), () -> {}));
            }
            try {
                loop.runUntilComplete(Promise.all(loop, recorded));
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
