package dev.yieldloop.sync;

import static dev.yieldloop.sync.SyncTesting.runUntilIdle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.ExceptionHandler;
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
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Semaphore}: a concurrency limit with FIFO hand-over, cancellable waiters and a bound on releases. */
class SemaphoreTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();
    private final EventLoop loop = loops.newLoop(clock);
    private final List<String> log = new ArrayList<>();
    private final Gauge inFlight = new Gauge();

    @Test
    void aSemaphoreOfThreeLetsAtMostThreeOfTenTasksHoldAPermitAtOnce() {
        Semaphore downloads = new Semaphore(loop, 3, "downloads");
        List<Task<Void>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(loop.spawn("w" + i, new Worker("w" + i, downloads, Duration.ofMillis(10))));
        }
        runUntilIdle(loop);
        assertThat(inFlight.current).isEqualTo(3);
        assertThat(downloads.available()).isZero();
        assertThat(downloads.waiters()).isEqualTo(7);
        for (int round = 1; round <= 3; round++) {
            clock.advance(Duration.ofMillis(10));
            runUntilIdle(loop);
            assertThat(inFlight.current).as("after round %d", round).isEqualTo(round < 3 ? 3 : 1);
        }
        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);
        assertThat(tasks).allSatisfy(t -> assertThat(t.promise().isSucceeded()).isTrue());
        assertThat(inFlight.max).isEqualTo(3);
        assertThat(log).hasSize(10);
        assertThat(downloads.available()).isEqualTo(3);
        assertThat(downloads.waiters()).isZero();
    }

    @Test
    void waitersGetThePermitInTheOrderTheyAskedForIt() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        for (int i = 1; i <= 5; i++) {
            loop.spawn("w" + i, new Worker("w" + i, one, null));
        }
        runUntilIdle(loop);
        assertThat(one.waiters()).isEqualTo(5);
        one.release();
        runUntilIdle(loop);
        assertThat(log).containsExactly("w1", "w2", "w3", "w4", "w5");
        assertThat(one.available()).isEqualTo(1);
    }

    @Test
    void aCancelledWaiterLeavesTheQueueAndNeverTakesAPermit() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        Task<Void> w1 = loop.spawn("w1", new Worker("w1", one, null));
        Task<Void> w2 = loop.spawn("w2", new Worker("w2", one, null));
        Task<Void> w3 = loop.spawn("w3", new Worker("w3", one, null));
        runUntilIdle(loop);
        assertThat(one.waiters()).isEqualTo(3);

        w2.cancel();
        assertThat(one.waiters()).as("removed at once, not when its turn comes").isEqualTo(2);
        one.release();
        runUntilIdle(loop);

        assertThat(w2.promise().isCancelled()).isTrue();
        assertThat(w1.promise().isSucceeded()).isTrue();
        assertThat(w3.promise().isSucceeded()).isTrue();
        assertThat(log).containsExactly("w1", "w3");
        assertThat(one.available()).as("the cancelled waiter took nothing").isEqualTo(1);
    }

    @Test
    void anAcquireThatTimesOutLeavesTheQueue() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        Task<Void> impatient =
                loop.spawn("impatient", Coroutine.awaiting(() -> one.acquire().orTimeout(Duration.ofMillis(50))));
        runUntilIdle(loop);
        assertThat(one.waiters()).isEqualTo(1);
        clock.advance(Duration.ofMillis(50));
        runUntilIdle(loop);
        assertThat(impatient.promise().failure()).isInstanceOf(TimeoutException.class);
        assertThat(reports).as("nobody awaited the task").hasSize(1);
        assertThat(one.waiters()).isZero();
        one.release();
        assertThat(one.available()).isEqualTo(1);
    }

    @Test
    void releasingMoreOftenThanAcquiringThrows() {
        Semaphore two = new Semaphore(loop, 2, "two");
        assertThatThrownBy(two::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("semaphore 'two' released more often than acquired: all 2 permit(s) are already free");
        assertThat(two.tryAcquire()).isTrue();
        two.release();
        assertThatThrownBy(two::release).isInstanceOf(IllegalStateException.class);
        assertThat(two.available()).isEqualTo(2);
    }

    @Test
    void tryAcquireTakesAFreePermitButNeverOvertakesAWaiter() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        assertThat(one.tryAcquire()).isFalse();
        Promise<Void> queued = one.acquire();
        one.release();
        assertThat(queued.isSucceeded()).as("handed straight to the waiter").isTrue();
        assertThat(one.available()).isZero();
        assertThat(one.tryAcquire()).isFalse();
        one.release();
        assertThat(one.acquire().isSucceeded())
                .as("a free permit is taken at once")
                .isTrue();
        one.release();
    }

    @Test
    void aTaskCancelledAfterThePermitWasHandedOverReleasesItInItsCleanUp() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        Task<Void> w1 = loop.spawn("w1", new Worker("w1", one, Duration.ofSeconds(1)));
        runUntilIdle(loop);
        one.release(); // hands the permit to w1, which is now READY
        assertThat(w1.state()).isEqualTo(TaskState.READY);
        w1.cancel(); // before it ran: it gets the cancellation instead of the permit
        runUntilIdle(loop);
        assertThat(w1.promise().isCancelled()).isTrue();
        assertThat(log).as("it never ran holding the permit").isEmpty();
        assertThat(one.available()).as("released by resumeCancelled").isEqualTo(1);
    }

    @Test
    void aSnapshotShowsATaskWaitingOnTheSemaphore() {
        Semaphore downloads = new Semaphore(loop, 2, "downloads");
        for (int i = 1; i <= 4; i++) {
            loop.spawn("download " + i, new Worker("download " + i, downloads, Duration.ofSeconds(1)));
        }
        runUntilIdle(loop);
        LoopSnapshot snapshot = loop.snapshot();
        assertThat(snapshot.waiting())
                .extracting(LoopSnapshot.TaskInfo::waitReason)
                .containsExactly(
                        "timer at +1000 ms",
                        "timer at +1000 ms",
                        "semaphore 'downloads' (0/2 free, 0 ahead)",
                        "semaphore 'downloads' (0/2 free, 1 ahead)");
        assertThat(snapshot.toString())
                .contains("WAITING  t3 \"download 3\" on semaphore 'downloads' (0/2 free, 0 ahead)");
        clock.advance(Duration.ofSeconds(2));
        runUntilIdle(loop);
        clock.advance(Duration.ofSeconds(2));
        runUntilIdle(loop);
        assertThat(log).hasSize(4);
    }

    /** A body that sleeps {@code hold} counted in {@link #inFlight}, or throws when {@code hold} is null. */
    private Coroutine<String> body(String name, Duration hold) {
        return new Coroutine<>() {
            private boolean slept;

            @Override
            public Step<String> resume() {
                if (hold == null) {
                    throw new IllegalStateException(name + " broke");
                }
                if (!slept) {
                    slept = true;
                    inFlight.enter();
                    log.add(name);
                    return Step.sleep(hold);
                }
                inFlight.leave();
                return Step.done(name);
            }

            @Override
            public Step<String> resumeCancelled(CancellationException cancellation) {
                inFlight.leave();
                throw cancellation;
            }
        };
    }

    @Test
    void withPermitLimitsBodiesAndGivesEveryPermitBack() {
        Semaphore three = new Semaphore(loop, 3, "downloads");
        List<Task<String>> tasks = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            tasks.add(loop.spawn("b" + i, three.withPermit(body("b" + i, Duration.ofMillis(10)))));
        }
        for (int round = 0; round < 5; round++) {
            runUntilIdle(loop);
            clock.advance(Duration.ofMillis(10));
        }
        runUntilIdle(loop);
        assertThat(tasks).allSatisfy(t -> assertThat(t.promise().isSucceeded()).isTrue());
        assertThat(inFlight.max).isEqualTo(3);
        assertThat(log).containsExactly("b0", "b1", "b2", "b3", "b4", "b5", "b6", "b7", "b8", "b9");
        assertThat(three.available()).isEqualTo(3);
    }

    @Test
    void withPermitReleasesWhenTheBodyThrowsOrIsCancelledWhileHoldingOrWaiting() {
        Semaphore one = new Semaphore(loop, 1, "one");
        loop.setExceptionHandler(report -> {}); // the failing task below is deliberately not awaited
        Task<String> broken = loop.spawn("broken", one.withPermit(body("broken", null)));
        runUntilIdle(loop);
        assertThat(broken.promise().failure()).hasMessage("broken broke");
        assertThat(one.available()).as("released after the throw").isEqualTo(1);

        Task<String> holder = loop.spawn("holder", one.withPermit(body("holder", Duration.ofSeconds(5))));
        Task<String> waiter = loop.spawn("waiter", one.withPermit(body("waiter", Duration.ofSeconds(5))));
        runUntilIdle(loop);
        assertThat(one.waiters()).isEqualTo(1);
        waiter.cancel();
        runUntilIdle(loop);
        assertThat(one.waiters()).isZero();
        holder.cancel();
        runUntilIdle(loop);
        assertThat(holder.promise().isCancelled()).isTrue();
        assertThat(waiter.promise().isCancelled()).isTrue();
        assertThat(log).containsExactly("holder");
        assertThat(one.available())
                .as("released by the cancelled holder, none taken by the waiter")
                .isEqualTo(1);
    }

    @Test
    void withPermitReleasesAPermitHandedOverJustBeforeACancellation() {
        Semaphore one = new Semaphore(loop, 1, "one");
        assertThat(one.tryAcquire()).isTrue();
        Task<String> late = loop.spawn("late", one.withPermit(body("late", Duration.ofSeconds(1))));
        runUntilIdle(loop);
        one.release(); // handed to late, which is now READY
        late.cancel(); // before it runs again
        runUntilIdle(loop);
        assertThat(late.promise().isCancelled()).isTrue();
        assertThat(log).isEmpty();
        assertThat(one.available()).isEqualTo(1);
    }

    @Test
    void aSemaphoreNeedsAPermit() {
        assertThatThrownBy(() -> new Semaphore(loop, 0, "none"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 permit");
    }

    /** In-flight count and its maximum. */
    private static final class Gauge {
        int current;
        int max;

        void enter() {
            current++;
            max = Math.max(max, current);
        }

        void leave() {
            current--;
        }
    }

    /** acquire → (sleep {@code hold}) → release; releases in clean-up if cancelled while it holds the permit. */
    private final class Worker implements Coroutine<Void> {
        private final String name;
        private final Semaphore semaphore;
        private final Duration hold;
        private Promise<Void> acquired;
        private boolean holding;

        Worker(String name, Semaphore semaphore, Duration hold) {
            this.name = name;
            this.semaphore = semaphore;
            this.hold = hold;
        }

        @Override
        public Step<Void> resume() {
            if (acquired == null) {
                acquired = semaphore.acquire();
                return Step.await(acquired);
            }
            if (!holding) {
                acquired.result();
                holding = true;
                log.add(name);
                inFlight.enter();
                if (hold != null) {
                    return Step.sleep(hold);
                }
            }
            inFlight.leave();
            semaphore.release();
            return Step.done(null);
        }

        @Override
        public Step<Void> resumeCancelled(CancellationException cancellation) {
            // The permit is ours once the promise succeeded, even if we never ran with it (Semaphore's Javadoc).
            if (acquired != null && acquired.isSucceeded()) {
                if (holding) {
                    inFlight.leave();
                }
                semaphore.release();
            }
            throw cancellation;
        }
    }
}
