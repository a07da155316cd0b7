package dev.yieldloop.demo.cpu;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.process.ProcessPool;
import dev.yieldloop.process.ProcessPoolOptions;
import java.util.concurrent.ExecutionException;

/**
 * {@code process-pool}: the loop offloads every number to a {@link ProcessPool} of worker JVMs and collects the results
 * as promises, the article's {@code multiprocessing.Pool.map}. The wall time includes starting the workers, which is
 * what a user pays; {@link #note()} reports that start-up separately.
 */
public final class ProcessPoolCpuStrategy implements CpuStrategy {

    private boolean ran;
    private long startupNanos = -1;
    private int workers;

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
        long[] results = new long[numbers.length];
        Throwable[] failure = {null};
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("cpu-offload"));
                ProcessPool pool =
                        ProcessPool.start(loop, ProcessPoolOptions.defaults().withWorkers(settings.processes()))) {
            int[] pending = {numbers.length};
            for (int i = 0; i < numbers.length; i++) {
                int index = i;
                Promise<Long> result = pool.submit(SumOfSquaresJob.class, numbers[i]);
                result.onComplete(p -> {
                    if (p.isSucceeded()) {
                        results[index] = p.result();
                        progress.step();
                    } else if (failure[0] == null) {
                        failure[0] = p.failure();
                    }
                    if (--pending[0] == 0 || failure[0] != null) {
                        loop.stop();
                    }
                });
            }
            loop.run();
            ran = true;
            startupNanos = pool.startupNanos();
            workers = settings.processes();
        }
        if (failure[0] != null) {
            throw new ExecutionException("process pool job failed: " + failure[0], failure[0]);
        }
        return results;
    }

    @Override
    public String note() {
        if (!ran) {
            return null;
        }
        return startupNanos < 0
                ? "process-pool: the work was done before all " + workers + " worker JVMs had connected"
                : "process-pool: " + workers + " worker JVMs were ready " + startupNanos / 1_000_000
                        + " ms after the pool started (included in its wall time)";
    }
}
