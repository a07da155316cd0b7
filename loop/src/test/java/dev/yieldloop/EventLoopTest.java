package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.Idle;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The iteration (see docs/architecture.md) on a fake clock: snapshot semantics, timer order, cancellation, rounding.
 */
class EventLoopTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    @Test
    void taskReadiedDuringPassRunsNextIteration() {
        EventLoop loop = loops.newLoop(clock);
        List<String> log = new ArrayList<>();
        loop.spawn("yielder", new Coroutine<Void>() {
            int turn;

            @Override
            public Step<Void> resume() {
                log.add("yielder " + turn);
                return turn++ < 2 ? Step.yieldNow() : Step.done(null);
            }
        });
        loop.spawn("once", () -> {
            log.add("once");
            return Step.done(null);
        });

        loop.runNow();
        assertThat(log).containsExactly("yielder 0", "once");
        loop.runNow();
        assertThat(log).containsExactly("yielder 0", "once", "yielder 1");
        loop.runNow();
        assertThat(log).containsExactly("yielder 0", "once", "yielder 1", "yielder 2");
    }

    @Test
    void callbackThatSchedulesCallbackDoesNotRunItInSamePass() {
        EventLoop loop = loops.newLoop(clock);
        List<String> log = new ArrayList<>();
        loop.execute(() -> {
            log.add("first");
            loop.execute(() -> log.add("second"));
        });
        loop.runNow();
        assertThat(log).containsExactly("first");
        loop.runNow();
        assertThat(log).containsExactly("first", "second");
    }

    @Test
    void timersFireInDeadlineThenSchedulingOrder() {
        EventLoop loop = loops.newLoop(clock);
        List<String> fired = new ArrayList<>();
        loop.scheduleAfter(20, TimeUnit.MILLISECONDS, () -> fired.add("20ms"));
        loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> fired.add("10ms-a"));
        loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> fired.add("10ms-b"));
        loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> fired.add("10ms-c"));
        loop.scheduleAt(loop.nanoTime() + 5_000_000, () -> fired.add("5ms"));

        loop.runNow();
        assertThat(fired).isEmpty();
        clock.advance(Duration.ofMillis(10));
        loop.runNow();
        assertThat(fired).containsExactly("5ms", "10ms-a", "10ms-b", "10ms-c");
        clock.advance(Duration.ofMillis(10));
        loop.runNow();
        assertThat(fired).containsExactly("5ms", "10ms-a", "10ms-b", "10ms-c", "20ms");
    }

    @Test
    void cancelledTimersNeverFireAndTheHeapShrinks() {
        EventLoop loop = loops.newLoop(clock);
        int[] fired = {0};
        List<Timer> timers = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            timers.add(loop.scheduleAfter(1 + i % 100, TimeUnit.MILLISECONDS, () -> fired[0]++));
        }
        for (int i = 0; i < 9_000; i++) {
            assertThat(timers.get(i).cancel()).isTrue();
        }
        assertThat(timers.get(0).cancel()).as("second cancel is a no-op").isFalse();
        assertThat(loop.snapshot().timers()).isEqualTo(1_000);

        clock.advance(Duration.ofMillis(200));
        loop.runNow();
        assertThat(fired[0]).isEqualTo(1_000);
        assertThat(loop.snapshot().timers()).isZero();
        assertThat(timers.get(9_999).isPending()).isFalse();
    }

    @Test
    void farFutureTimerDoesNotOverflow() {
        EventLoop loop = loops.newLoop(clock);
        boolean[] fired = {false, false};
        Timer far = loop.scheduleAfter(1L << 48, TimeUnit.MILLISECONDS, () -> fired[0] = true);
        loop.scheduleAfter(1, TimeUnit.MILLISECONDS, () -> fired[1] = true);
        assertThat(far.deadlineNanos() - loop.nanoTime()).isPositive();
        clock.advance(Duration.ofDays(365));
        loop.runNow();
        assertThat(fired[1]).isTrue();
        assertThat(fired[0]).isFalse();
        far.cancel();
    }

    @Test
    void subMillisecondTimeoutsNeitherSpinNorHang() {
        // Sub-millisecond timeouts, on the real clock: a wait that rounds to 0 ms must not become select(0) (forever).
        EventLoop loop = loops.newLoop();
        for (long nanos : new long[] {10_000_000, 100_000, 1_000, 10}) {
            Task<Void> sleeper = loop.spawn("sleep " + nanos + "ns", new Coroutine<>() {
                boolean slept;

                @Override
                public Step<Void> resume() {
                    if (slept) {
                        return Step.done(null);
                    }
                    slept = true;
                    return new Step.Sleep<>(nanos);
                }
            });
            int iterations = 0;
            while (!sleeper.promise().isDone() && iterations < 1_000) {
                loop.runOnce();
                iterations++;
            }
            assertThat(iterations).as("iterations for a %d ns sleep", nanos).isLessThanOrEqualTo(20);
        }
    }

    @Test
    void idleLoopComputesForeverAndWakesForWork() throws Exception {
        // Nothing ready, no timer: phase 1 computes "forever", so runOnce blocks in select until another thread gives
        // it work. On a fake clock that never moves, any finite timeout would let runOnce return with no work done.
        EventLoop loop = loops.newLoop(clock);
        CompletableFuture<Integer> work = new CompletableFuture<>();
        Thread driver = new Thread(
                () -> {
                    try {
                        work.complete(loop.runOnce());
                    } catch (Throwable t) {
                        work.completeExceptionally(t);
                    }
                },
                "driver");
        driver.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Idle.blockedInSelect(driver));
        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(20))
                .until(() -> !work.isDone() && Idle.blockedInSelect(driver));
        loop.execute(() -> {});
        assertThat(work.get(20, TimeUnit.SECONDS))
                .as("woken by the inbox: drained one item, ran one ready entry")
                .isEqualTo(2);
        driver.join(30_000);
    }

    @Test
    void wakeupMakesALoopBlockedInSelectRunAnIteration() throws Exception {
        // The same idle loop as above, blocked "forever": wakeup() from another thread is the only way out, and the
        // iteration it causes finds no work.
        EventLoop loop = loops.newLoop(clock);
        CompletableFuture<Integer> work = new CompletableFuture<>();
        Thread driver = new Thread(
                () -> {
                    try {
                        work.complete(loop.runOnce());
                    } catch (Throwable t) {
                        work.completeExceptionally(t);
                    }
                },
                "driver");
        driver.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> Idle.blockedInSelect(driver));
        loop.wakeup();
        assertThat(work.get(20, TimeUnit.SECONDS))
                .as("an iteration with nothing to do")
                .isZero();
        driver.join(30_000);
    }

    @Test
    void sleepingTaskWakesAtItsDeadline() {
        EventLoop loop = loops.newLoop(clock);
        Task<String> t = loop.spawn("sleeper", new Coroutine<>() {
            int state;

            @Override
            public Step<String> resume() {
                return state++ == 0 ? Step.sleep(Duration.ofMillis(50)) : Step.done("woke");
            }
        });
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        assertThat(t.waitReason()).isEqualTo("timer at +50 ms");
        clock.advance(Duration.ofMillis(49));
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        clock.advance(Duration.ofMillis(1));
        loop.runNow();
        assertThat(t.promise().result()).isEqualTo("woke");
    }

    @Test
    void loopOnlyCallsFailFastOffTheLoopThread() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Throwable[] seen = new Throwable[1];
        Thread other = new Thread(() -> {
            try {
                loop.spawn("x", () -> Step.done(null));
            } catch (Throwable t) {
                seen[0] = t;
            }
        });
        other.start();
        other.join(10_000);
        assertThat(seen[0])
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be called on the loop thread")
                .hasMessageContaining("execute() or submit()");
    }

    @Test
    void closedLoopRejectsWork() {
        EventLoop loop = loops.newLoop(clock);
        loop.close();
        assertThatThrownBy(() -> loop.spawn("late", () -> Step.done(null)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> loop.scheduleAfter(1, TimeUnit.MILLISECONDS, () -> {}))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(IllegalStateException.class);
        assertThat(loop.submit(() -> 1)).isCompletedExceptionally();
        assertThatThrownBy(loop::runOnce).isInstanceOf(IllegalStateException.class);
        loop.close(); // idempotent
    }

    @Test
    void closeFromInsideATaskIsRefusedAndTheLoopStaysUsable() {
        EventLoop loop = loops.newLoop(clock);
        Task<Void> t = loop.spawn("closer", () -> {
            loop.close();
            return Step.done(null);
        });
        loop.runNow();
        assertThat(t.promise().failure())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("cannot close a running event loop");
        assertThat(loop.isClosed()).isFalse();
        Task<Integer> after = loop.spawn("after", () -> Step.done(7));
        loop.runNow();
        assertThat(after.promise().result()).isEqualTo(7);
    }

    @Test
    void closeCancelsTasksStillAlive() {
        loops.allowTasksAliveAtClose();
        EventLoop loop = loops.newLoop(clock);
        Promise<Void> never = loop.newPromise("never");
        Task<Void> waiting = loop.spawn("waiting", () -> Step.await(never));
        Task<Void> ready = loop.spawn("ready", () -> Step.done(null));
        loop.runNow();
        Task<Void> ready2 = loop.spawn("not yet run", () -> Step.done(null));
        loop.close();
        assertThat(waiting.state()).isEqualTo(TaskState.DONE);
        assertThat(waiting.promise().isCancelled()).isTrue();
        assertThat(ready.promise().isSucceeded()).isTrue();
        assertThat(ready2.promise().isCancelled()).isTrue();
        assertThat(never.isCancelled())
                .as("the promise nobody else awaited is cancelled")
                .isTrue();
    }
}
