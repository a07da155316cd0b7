package dev.yieldloop.sync;

import static dev.yieldloop.sync.SyncTesting.runUntilIdle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopSnapshot;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.TaskState;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Queue}: bounded FIFO with backpressure, FIFO waiters, and cancellation that loses or adds no item. */
class QueueTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();
    private final EventLoop loop = loops.newLoop(clock);

    @Test
    void aProducerWaitsWhileTheQueueIsFullAndResumesAsTheConsumerTakes() {
        Queue<Integer> jobs = new Queue<>(loop, 2, "jobs");
        List<Integer> received = new ArrayList<>();
        Producer<Integer> producer = new Producer<>(jobs, List.of(1, 2, 3, 4, 5, 6));
        Task<Void> producing = loop.spawn("producer", producer);
        Task<Void> consuming = loop.spawn("consumer", new Consumer<>(jobs, 6, Duration.ofMillis(10), received));
        runUntilIdle(loop);

        // The producer filled the queue, the consumer took 1 (which let 3 in), and the producer now waits with 4.
        assertThat(received).containsExactly(1);
        assertThat(jobs.size()).isEqualTo(2);
        assertThat(producer.sent).isEqualTo(3);
        assertThat(jobs.waitingPutters()).isEqualTo(1);
        assertThat(loop.snapshot().waiting())
                .extracting(LoopSnapshot.TaskInfo::name, LoopSnapshot.TaskInfo::waitReason)
                .contains(tuple("producer", "queue 'jobs' put (2/2 full, 0 ahead)"));

        for (int round = 0; round < 10 && !consuming.promise().isDone(); round++) {
            clock.advance(Duration.ofMillis(10));
            runUntilIdle(loop);
            assertThat(jobs.size()).isLessThanOrEqualTo(2);
            assertThat(producer.sent - received.size())
                    .as("items sent but not yet received are in the queue, at most its capacity")
                    .isLessThanOrEqualTo(2);
        }
        assertThat(received).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(producing.promise().isSucceeded()).isTrue();
        assertThat(consuming.promise().isSucceeded()).isTrue();
        assertThat(jobs.size()).isZero();
    }

    @Test
    void waitingTakersReceiveItemsInTheOrderTheyStartedWaiting() {
        Queue<String> q = new Queue<>(loop, 10, "letters");
        List<String> t1 = new ArrayList<>();
        List<String> t2 = new ArrayList<>();
        List<String> t3 = new ArrayList<>();
        loop.spawn("t1", new Consumer<>(q, 1, null, t1));
        loop.spawn("t2", new Consumer<>(q, 1, null, t2));
        loop.spawn("t3", new Consumer<>(q, 1, null, t3));
        runUntilIdle(loop);
        assertThat(q.waitingTakers()).isEqualTo(3);
        assertThat(q.tryPut("a")).isTrue();
        assertThat(q.tryPut("b")).isTrue();
        assertThat(q.tryPut("c")).isTrue();
        assertThat(q.size()).as("handed straight to the takers").isZero();
        runUntilIdle(loop);
        assertThat(List.of(t1, t2, t3)).containsExactly(List.of("a"), List.of("b"), List.of("c"));
    }

    @Test
    void waitingPuttersGetTheirItemsInInTheOrderTheyStartedWaiting() {
        Queue<String> q = new Queue<>(loop, 1, "letters");
        assertThat(q.tryPut("first")).isTrue();
        loop.spawn("p1", new Producer<>(q, List.of("x")));
        loop.spawn("p2", new Producer<>(q, List.of("y")));
        loop.spawn("p3", new Producer<>(q, List.of("z")));
        runUntilIdle(loop);
        assertThat(q.waitingPutters()).isEqualTo(3);
        List<String> out = new ArrayList<>();
        for (String item = q.tryTake(); item != null; item = q.tryTake()) {
            out.add(item);
            assertThat(q.size()).isLessThanOrEqualTo(1);
        }
        assertThat(out).containsExactly("first", "x", "y", "z");
        runUntilIdle(loop);
        assertThat(q.waitingPutters()).isZero();
    }

    @Test
    void tryPutAndTryTakeNeverWait() {
        Queue<String> q = new Queue<>(loop, 2, "letters");
        assertThat(q.tryTake()).as("empty: null").isNull();
        assertThat(q.tryPut("a")).isTrue();
        assertThat(q.tryPut("b")).isTrue();
        assertThat(q.tryPut("c")).as("full: false, and nothing queued").isFalse();
        assertThat(q.waitingPutters()).isZero();
        assertThat(q.size()).isEqualTo(2);
        assertThat(q.tryTake()).isEqualTo("a");
        assertThat(q.tryPut("c")).isTrue();
        assertThat(q.tryTake()).isEqualTo("b");
        assertThat(q.tryTake()).isEqualTo("c");
        assertThat(q.tryTake()).isNull();
        assertThat(q.take().isDone()).as("take on an empty queue waits").isFalse();
        assertThat(q.tryPut("d")).isTrue();
        assertThat(q.size()).as("went to the waiting taker").isZero();
    }

    @Test
    void aCancelledTakerLosesNoItem() {
        Queue<String> q = new Queue<>(loop, 10, "letters");
        List<String> got1 = new ArrayList<>();
        List<String> got2 = new ArrayList<>();
        Task<Void> t1 = loop.spawn("t1", new Consumer<>(q, 1, null, got1));
        Task<Void> t2 = loop.spawn("t2", new Consumer<>(q, 1, null, got2));
        runUntilIdle(loop);
        t1.cancel();
        assertThat(q.waitingTakers()).as("removed at once").isEqualTo(1);
        assertThat(q.tryPut("a")).isTrue();
        assertThat(q.tryPut("b")).isTrue();
        runUntilIdle(loop);
        assertThat(t1.promise().isCancelled()).isTrue();
        assertThat(got1).isEmpty();
        assertThat(got2).containsExactly("a");
        assertThat(q.tryTake())
                .as("b waited in the queue, not in the cancelled taker")
                .isEqualTo("b");
    }

    @Test
    void aCancelledPuttersItemIsNeverEnqueued() {
        Queue<String> q = new Queue<>(loop, 1, "letters");
        assertThat(q.tryPut("a")).isTrue();
        Task<Void> p1 = loop.spawn("p1", new Producer<>(q, List.of("b")));
        Task<Void> p2 = loop.spawn("p2", new Producer<>(q, List.of("c")));
        runUntilIdle(loop);
        assertThat(q.waitingPutters()).isEqualTo(2);
        p1.cancel();
        assertThat(q.waitingPutters()).isEqualTo(1);
        assertThat(q.tryTake()).isEqualTo("a");
        assertThat(q.tryTake()).isEqualTo("c");
        assertThat(q.tryTake()).isNull();
        runUntilIdle(loop);
        assertThat(p1.promise().isCancelled()).isTrue();
        assertThat(p2.promise().isSucceeded()).isTrue();
    }

    @Test
    void aTakerCancelledAfterTheHandOverFindsTheItemInItsPromise() {
        Queue<String> q = new Queue<>(loop, 10, "letters");
        List<String> got = new ArrayList<>();
        Task<Void> taker = loop.spawn("taker", new Consumer<>(q, 1, null, got));
        runUntilIdle(loop);
        assertThat(q.tryPut("a")).isTrue(); // handed to the taker, which is now READY
        assertThat(taker.state()).isEqualTo(TaskState.READY);
        taker.cancel(); // before it ran: the item is in its succeeded promise, and its clean-up puts it back
        runUntilIdle(loop);
        assertThat(taker.promise().isCancelled()).isTrue();
        assertThat(got).isEmpty();
        assertThat(q.tryTake()).isEqualTo("a");
    }

    @Test
    void aSnapshotShowsATaskWaitingToTakeFromTheQueue() {
        Queue<String> jobs = new Queue<>(loop, 10, "jobs");
        List<String> got = new ArrayList<>();
        loop.spawn("worker", new Consumer<>(jobs, 1, null, got));
        runUntilIdle(loop);
        assertThat(loop.snapshot().toString())
                .contains("WAITING  t1 \"worker\" on queue 'jobs' take (0/10 full, 0 ahead)");
        jobs.tryPut("job 1");
        runUntilIdle(loop);
        assertThat(got).containsExactly("job 1");
    }

    @Test
    void nullItemsAndAZeroCapacityAreRefused() {
        Queue<String> q = new Queue<>(loop, 1, "letters");
        assertThatThrownBy(() -> q.put(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> q.tryPut(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new Queue<String>(loop, 0, "none"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("capacity of at least 1");
    }

    /** Puts each item in turn, awaiting each put. */
    private static final class Producer<T> implements Coroutine<Void> {
        private final Queue<T> queue;
        private final List<T> items;
        private Promise<Void> put;
        int sent;

        Producer(Queue<T> queue, List<T> items) {
            this.queue = queue;
            this.items = items;
        }

        @Override
        public Step<Void> resume() {
            if (put != null) {
                put.result();
                sent++;
            }
            if (sent == items.size()) {
                return Step.done(null);
            }
            put = queue.put(items.get(sent));
            return Step.await(put);
        }
    }

    /**
     * Takes {@code count} items into {@code received}, sleeping {@code pause} after each; if cancelled after an item was
     * handed over, puts it back (the pattern {@link Queue}'s Javadoc describes).
     */
    private static final class Consumer<T> implements Coroutine<Void> {
        private final Queue<T> queue;
        private final int count;
        private final Duration pause;
        private final List<T> received;
        private Promise<T> take;
        private int taken;

        Consumer(Queue<T> queue, int count, Duration pause, List<T> received) {
            this.queue = queue;
            this.count = count;
            this.pause = pause;
            this.received = received;
        }

        @Override
        public Step<Void> resume() {
            if (take != null) {
                received.add(take.result());
                take = null;
                taken++;
                if (pause != null) {
                    return Step.sleep(pause);
                }
            }
            if (taken == count) {
                return Step.done(null);
            }
            take = queue.take();
            return Step.await(take);
        }

        @Override
        public Step<Void> resumeCancelled(CancellationException cancellation) {
            if (take != null && take.isSucceeded()) {
                queue.tryPut(take.result());
            }
            throw cancellation;
        }
    }
}
