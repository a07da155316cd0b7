package dev.yieldloop.demo.cpu;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.strategy.Tally;
import dev.yieldloop.demo.strategy.Workload;
import dev.yieldloop.process.ProcessPool;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The article's CPU-bound workload as a {@link Workload}: {@link SumOfSquares#compute(long)} of every number, each
 * result kept by index. Its forms:
 *
 * <ul>
 *   <li>blocking: the sum computed on the calling thread, which never blocks (a session holds nothing);
 *   <li>task: a {@link SlicedSum} per number, which computes {@value #SLICE} iterations per step and yields between
 *       them;
 *   <li>process job: a {@link SumOfSquaresJob} per number.
 * </ul>
 *
 * <p>The progress line steps once per number finished; the task form also advances it by every slice, so it moves
 * while all the loop's sums are still unfinished (all 20 end near the end).
 *
 * <p>Threading: thread-safe.
 */
public final class Sums implements Workload<Long>, Tally {

    /** Iterations of {@code i * i} per step of a {@link SlicedSum} before it yields: a few milliseconds of work. */
    public static final long SLICE = 1L << 23;

    private final long[] numbers;
    private final Progress progress;
    private final AtomicLongArray results;
    private final AtomicReferenceArray<Throwable> failures;

    /**
     * Creates the workload of one run.
     *
     * @param numbers the inputs, by index
     * @param progress told once per number finished, and of the task form's slices
     */
    public Sums(long[] numbers, Progress progress) {
        this.numbers = numbers.clone();
        this.progress = progress;
        this.results = new AtomicLongArray(numbers.length);
        this.failures = new AtomicReferenceArray<>(numbers.length);
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String unit() {
        return "numbers";
    }

    @Override
    public int size() {
        return numbers.length;
    }

    @Override
    public Session<Long> openSession() {
        return index -> SumOfSquares.compute(numbers[index]);
    }

    @Override
    public TaskForm<Long> taskForm() {
        return new TaskForm<>() {
            @Override
            public String taskName(int index) {
                return "sum of squares below " + numbers[index];
            }

            @Override
            public Coroutine<Long> task(EventLoop loop, int index) {
                return new SlicedSum(numbers[index], progress);
            }
        };
    }

    @Override
    public Promise<Long> submit(ProcessPool pool, int index) {
        return pool.submit(SumOfSquaresJob.class, numbers[index]);
    }

    @Override
    public void succeeded(int index, Long result) {
        results.set(index, result);
        progress.step();
    }

    @Override
    public void failed(int index, Throwable failure) {
        failures.set(index, failure);
    }

    /**
     * Thread-safe. The sums, by index; read after the run.
     *
     * @return one sum per number (0 where it failed)
     */
    public long[] results() {
        long[] copy = new long[results.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = results.get(i);
        }
        return copy;
    }

    @Override
    public long ok() {
        return numbers.length - errors();
    }

    @Override
    public long errors() {
        long n = 0;
        for (int i = 0; i < failures.length(); i++) {
            if (failures.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    /** The digest of {@link SumOfSquares#checksum(long[])} over {@link #results()}. */
    @Override
    public String checksum() {
        return SumOfSquares.checksum(results());
    }

    @Override
    public String firstError() {
        for (int i = 0; i < failures.length(); i++) {
            Throwable t = failures.get(i);
            if (t != null) {
                return "sum below " + numbers[i] + ": " + t;
            }
        }
        return null;
    }

    /** One number's sum as a coroutine: a slice per step, a yield between slices. Loop thread only. */
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
