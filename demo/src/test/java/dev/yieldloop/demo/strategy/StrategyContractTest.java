package dev.yieldloop.demo.strategy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.demo.cpu.SumOfSquares;
import dev.yieldloop.demo.cpu.SumOfSquaresJob;
import dev.yieldloop.process.ProcessPool;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One contract over every strategy, on a tiny workload of known results: each strategy runs every item once, in the
 * form it is made for (blocking sessions, loop tasks or process jobs), records every outcome, failures included, and
 * so returns the expected checksum.
 */
@Timeout(60)
class StrategyContractTest {

    private static final int ITEMS = 7;

    /** The item that fails in every form. */
    private static final int FAILING = 4;

    /**
     * Item {@code i}'s result is the sum of i² below {@code i + 10} in every form (the process form is the demo's
     * {@link SumOfSquaresJob}); item {@link #FAILING} fails in every form, after doing its work.
     */
    static final class Squares implements Workload<Long> {
        final int size;
        final AtomicReferenceArray<Object> outcomes;
        final AtomicInteger sessionsOpened = new AtomicInteger();
        final AtomicInteger sessionsClosed = new AtomicInteger();
        final AtomicInteger tasksMade = new AtomicInteger();
        final AtomicInteger jobsSubmitted = new AtomicInteger();
        final AtomicInteger recordedTwice = new AtomicInteger();
        final Set<String> threads = ConcurrentHashMap.newKeySet();

        Squares() {
            this(ITEMS);
        }

        Squares(int size) {
            this.size = size;
            this.outcomes = new AtomicReferenceArray<>(size);
        }

        @Override
        public String name() {
            return "squares";
        }

        @Override
        public String unit() {
            return "squares";
        }

        @Override
        public int size() {
            return size;
        }

        static long expected(int index) {
            return SumOfSquares.compute(index + 10);
        }

        private static long orFail(int index, long value) {
            if (index == FAILING) {
                throw new IllegalStateException("item " + index + " fails");
            }
            return value;
        }

        @Override
        public Session<Long> openSession() {
            sessionsOpened.incrementAndGet();
            return new Session<>() {
                @Override
                public Long run(int index) {
                    threads.add(Thread.currentThread().getName());
                    return orFail(index, expected(index));
                }

                @Override
                public void close() {
                    sessionsClosed.incrementAndGet();
                }
            };
        }

        @Override
        public TaskForm<Long> taskForm() {
            return new TaskForm<>() {
                @Override
                public String taskName(int index) {
                    return "square " + index;
                }

                @Override
                public Coroutine<Long> task(EventLoop loop, int index) {
                    tasksMade.incrementAndGet();
                    return new Coroutine<>() {
                        private boolean yielded;

                        @Override
                        public Step<Long> resume() {
                            threads.add(Thread.currentThread().getName());
                            if (!yielded) { // one marked point, so the tasks take turns
                                yielded = true;
                                return Step.yieldNow();
                            }
                            return Step.done(orFail(index, expected(index)));
                        }
                    };
                }
            };
        }

        @Override
        public Promise<Long> submit(ProcessPool pool, int index) {
            jobsSubmitted.incrementAndGet();
            return pool.submit(SumOfSquaresJob.class, (long) index + 10).map(v -> orFail(index, v));
        }

        @Override
        public void succeeded(int index, Long result) {
            record(index, result);
        }

        @Override
        public void failed(int index, Throwable failure) {
            record(index, failure);
        }

        private void record(int index, Object outcome) {
            if (!outcomes.compareAndSet(index, null, outcome)) {
                recordedTwice.incrementAndGet();
            }
        }

        /** The sum of every result, weighted by position; -1 for a failure, -2 for a missing outcome. */
        long checksum() {
            long sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                Object o = outcomes.get(i);
                long v = o instanceof Long l ? l : o == null ? -2 : -1;
                sum = sum * 31 + v;
            }
            return sum;
        }

        static long expectedChecksum() {
            long sum = 0;
            for (int i = 0; i < ITEMS; i++) {
                sum = sum * 31 + (i == FAILING ? -1 : expected(i));
            }
            return sum;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual-threads", "event-loop", "process-pool"})
    void everyStrategyRunsEveryItemOnceAndRecordsEveryOutcome(String name) throws Exception {
        Strategy strategy = Strategies.choose(List.of(name)).get(0);
        assumeThat(strategy.unavailableReason()).as("unavailable here").isNull();
        Squares squares = new Squares();

        strategy.run(squares, StrategySettings.of(3, 2)); // the failing item is recorded, not thrown

        assertThat(squares.checksum()).isEqualTo(Squares.expectedChecksum());
        assertThat(squares.outcomes.get(FAILING))
                .isInstanceOf(IllegalStateException.class)
                .hasToString("java.lang.IllegalStateException: item " + FAILING + " fails");
        assertThat(squares.recordedTwice).hasValue(0);
        assertThat(squares.sessionsClosed).as("every session closed").hasValue(squares.sessionsOpened.get());
    }

    @Test
    void eachStrategyUsesTheFormItIsMadeFor() throws Exception {
        Squares sequential = new Squares();
        new SequentialStrategy().run(sequential, StrategySettings.of(3, 2));
        assertThat(sequential.sessionsOpened).as("one session for every item").hasValue(1);
        assertThat(sequential.threads).containsExactly(Thread.currentThread().getName());

        Squares threads = new Squares();
        new ThreadPoolStrategy().run(threads, StrategySettings.of(3, 2));
        assertThat(threads.sessionsOpened)
                .as("a session per worker thread, at most --threads")
                .hasValueBetween(1, 3);
        assertThat(threads.threads).allMatch(t -> t.matches("squares-[123]"));

        Squares loop = new Squares();
        new EventLoopStrategy().run(loop, StrategySettings.of(3, 2));
        assertThat(loop.tasksMade).hasValue(ITEMS);
        assertThat(loop.sessionsOpened).hasValue(0);
        assertThat(loop.threads).as("every task on the one loop thread").hasSize(1);

        Squares jobs = new Squares();
        new ProcessPoolStrategy().run(jobs, StrategySettings.of(3, 2));
        assertThat(jobs.jobsSubmitted).hasValue(ITEMS);
        assertThat(jobs.sessionsOpened).hasValue(0);
        assertThat(jobs.tasksMade).hasValue(0);
        assertThat(jobs.threads).as("nothing computed in this JVM").isEmpty();
    }

    @Test
    void theEventLoopPrintsItsSnapshotOnceWhenHalfTheItemsHaveFinished() throws Exception {
        StringWriter snapshot = new StringWriter();
        Squares squares = new Squares();
        new EventLoopStrategy().run(squares, new StrategySettings(1, 1, 2, new PrintWriter(snapshot, true)));
        assertThat(squares.checksum()).isEqualTo(Squares.expectedChecksum());
        String printed = snapshot.toString();
        assertThat(printed)
                .startsWith("  loop snapshot when half the squares had finished (the ready queue and the waiting set):")
                .contains("loop \"squares\"")
                .contains("on semaphore 'squares in flight'");
        assertThat(printed.split("loop snapshot", -1)).as("printed once").hasSize(2);
    }

    @Test
    void anEmptyWorkloadRunsNothingAndEveryStrategyReturns() throws Exception {
        Squares empty = new Squares(0);
        for (Strategy strategy : Strategies.choose(Strategies.ALL)) {
            if (strategy.unavailableReason() == null) {
                strategy.run(empty, StrategySettings.of(2, 2));
            }
        }
        assertThat(empty.tasksMade).hasValue(0);
        assertThat(empty.jobsSubmitted).hasValue(0);
    }

    @Test
    void concurrencyAndParallelismFollowTheSettings() {
        StrategySettings settings = new StrategySettings(5, 3, 0, null);
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(new SequentialStrategy().concurrency(settings, 160)).isEqualTo(1);
        assertThat(new ThreadPoolStrategy().concurrency(settings, 160)).isEqualTo(5);
        assertThat(new ThreadPoolStrategy().concurrency(settings, 2)).isEqualTo(2);
        assertThat(new VirtualThreadStrategy().concurrency(settings, 160)).isEqualTo(160);
        assertThat(new EventLoopStrategy().concurrency(settings, 160)).isEqualTo(160);
        assertThat(new EventLoopStrategy().concurrency(new StrategySettings(5, 3, 7, null), 160))
                .isEqualTo(7);
        assertThat(new ProcessPoolStrategy().concurrency(settings, 160)).isEqualTo(3);

        assertThat(new SequentialStrategy().parallelism(settings)).isEqualTo(1);
        assertThat(new EventLoopStrategy().parallelism(settings))
                .as("one thread")
                .isEqualTo(1);
        assertThat(new ThreadPoolStrategy().parallelism(settings)).isEqualTo(Math.min(5, cores));
        assertThat(new VirtualThreadStrategy().parallelism(settings)).isEqualTo(cores);
        assertThat(new ProcessPoolStrategy().parallelism(settings)).isEqualTo(Math.min(3, cores));
    }
}
