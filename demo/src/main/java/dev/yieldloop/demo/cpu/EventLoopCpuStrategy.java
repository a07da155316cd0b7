package dev.yieldloop.demo.cpu;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.demo.report.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code event-loop}: every number is a task on one Yieldloop thread, the article's {@code asyncio} version of the CPU
 * workload. No gain, by design: the tasks take turns on one thread, so the total work is the same as sequential plus a
 * little switching.
 *
 * <p>Each task computes in slices of {@value #SLICE} iterations and yields between them, as a well-behaved coroutine
 * must (a task that held the loop for the whole sum would stall every other task, and the slow-step watchdog would say
 * so). The turns show in the snapshot: 20 tasks READY, one RUNNING, none ever WAITING. Each slice advances the
 * progress line, so it moves while every sum is still unfinished (all 20 end near the end).
 */
public final class EventLoopCpuStrategy implements CpuStrategy {

    /** Iterations of {@code i * i} per step before the task yields: a few milliseconds of work. */
    static final long SLICE = 1L << 23;

    /** Creates the strategy. */
    public EventLoopCpuStrategy() {}

    @Override
    public String name() {
        return "event-loop";
    }

    @Override
    public int parallelism(CpuSettings settings) {
        return 1;
    }

    @Override
    public long[] run(long[] numbers, CpuSettings settings, Progress progress) throws ExecutionException {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withName("cpu"))) {
            List<Promise<Long>> sums = new ArrayList<>();
            for (long n : numbers) {
                sums.add(loop.spawn("sum of squares below " + n, new SlicedSum(n, progress))
                        .promise());
            }
            return CpuStrategy.runUntilAll(loop, sums, progress);
        }
    }

    /** One number's sum as a coroutine: a slice per step, a yield between slices. */
    static final class SlicedSum implements Coroutine<Long> {
        private final long n;
        private final Progress progress;
        private long next;
        private long sum;

        SlicedSum(long n, Progress progress) {
            this.n = n;
            this.progress = progress;
            progress.addWork(n);
        }

        @Override
        public Step<Long> resume() {
            long to = Math.min(n, next + SLICE);
            sum = SumOfSquares.continueSum(sum, next, to);
            progress.worked(to - next);
            next = to;
            return next == n ? Step.done(sum) : Step.yieldNow();
        }
    }
}
