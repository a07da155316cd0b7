package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.sync.TaskScope;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Straight-line task bodies ({@link EventLoop#spawnAsync}), each test run once per {@link AsyncMode} this JVM offers:
 * the baton everywhere, continuations on JDK 21+ with {@code jdk.internal.vm} exported (the build's JDK 21+ profile).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AsyncTaskTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    static Stream<AsyncMode> modes() {
        return AsyncMode.continuationsAvailable()
                ? Stream.of(AsyncMode.BATON, AsyncMode.CONTINUATION)
                : Stream.of(AsyncMode.BATON);
    }

    private EventLoop loop(AsyncMode mode) {
        EventLoop loop = loops.newLoop(
                LoopOptions.defaults().withClock(clock).withName("test").withAsyncMode(mode));
        assertThat(loop.asyncMode()).isEqualTo(mode);
        return loop;
    }

    @ParameterizedTest
    @MethodSource("modes")
    void awaitReturnsValuesAndThrowsOriginalFailuresUnwrapped(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        Promise<Integer> answer = loop.newPromise("answer");
        Promise<String> broken = loop.newPromise("broken");
        Task<String> t = loop.spawnAsync("reader", a -> {
            int n = a.await(answer);
            try {
                a.await(broken);
                return "no failure";
            } catch (IOException checked) {
                return n + " then " + checked.getMessage();
            }
        });
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        assertThat(loop.snapshot().waiting())
                .singleElement()
                .satisfies(info -> assertThat(info.waitReason()).isEqualTo("answer"));
        answer.complete(41);
        loop.runNow();
        assertThat(loop.snapshot().waiting())
                .singleElement()
                .satisfies(info -> assertThat(info.waitReason()).isEqualTo("broken"));
        broken.fail(new IOException("disk on fire"));
        assertThat(loop.runUntilComplete(t.promise())).isEqualTo("41 then disk on fire");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aCheckedFailureFailsTheTaskAsIs(AsyncMode mode) {
        EventLoop loop = loop(mode);
        IOException boom = new IOException("boom");
        Task<Void> t = loop.spawnAsync("thrower", a -> {
            a.yieldNow();
            throw boom;
        });
        t.promise().onComplete(p -> {}); // observed: not reported to the exception handler
        assertThatThrownBy(() -> loop.runUntilComplete(t.promise())).isSameAs(boom);
        assertThat(t.promise().failure()).isSameAs(boom);
    }

    @ParameterizedTest
    @MethodSource("modes")
    void cancellationAtAnAwaitRunsFinallyBlocksAndEndsTheTaskCancelled(AsyncMode mode) {
        EventLoop loop = loop(mode);
        List<String> log = new ArrayList<>();
        Promise<String> never = loop.newPromise("never");
        Task<String> t = loop.spawnAsync("victim", a -> {
            try {
                return a.await(never);
            } catch (CancellationException e) {
                log.add("caught");
                throw e;
            } finally {
                log.add("finally");
                assertThatThrownBy(a::yieldNow).isInstanceOf(CancellationException.class); // final: no suspending
            }
        });
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        t.cancel();
        loop.runNow();
        assertThat(t.promise().isCancelled()).isTrue();
        assertThat(log).containsExactly("caught", "finally");
        assertThat(never.isCancelled())
                .as("the awaited promise nobody else waits for")
                .isTrue();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aBodyThatSwallowsCancellationStillEndsCancelled(AsyncMode mode) {
        EventLoop loop = loop(mode);
        Task<String> t = loop.spawnAsync("stubborn", a -> {
            try {
                a.sleep(Duration.ofSeconds(10));
            } catch (CancellationException ignored) {
                return "ignored it";
            }
            return "slept";
        });
        loop.runNow();
        t.cancel();
        loop.runNow();
        assertThat(t.promise().isCancelled()).isTrue();
        assertThat(loop.snapshot().timers()).isZero();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void closingTheLoopRunsTheFinallyBlocksOfSuspendedBodies(AsyncMode mode) {
        loops.allowTasksAliveAtClose(); // this test is about closing with a task alive
        EventLoop loop = loop(mode);
        List<String> log = new ArrayList<>();
        loop.spawnAsync("parked", a -> {
            try {
                a.sleep(Duration.ofDays(1));
                return null;
            } finally {
                log.add("cleaned up");
            }
        });
        loop.runNow();
        loop.close();
        assertThat(log).containsExactly("cleaned up");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void taskScopeCancelsStraightLineChildrenWhenOneFails(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        List<String> log = new ArrayList<>();
        Task<String> parent = loop.spawnAsync("parent", a -> {
            TaskScope scope = TaskScope.open(a.loop(), "pair");
            scope.spawnAsync("sleeper", b -> {
                try {
                    b.sleep(Duration.ofDays(1));
                    return "woke";
                } finally {
                    log.add("sleeper cleaned up");
                }
            });
            scope.spawnAsync("failer", b -> {
                b.sleep(Duration.ofMillis(5));
                throw new IllegalStateException("failer gave up");
            });
            try {
                a.await(scope.join());
                return "joined";
            } catch (IllegalStateException e) {
                return "scope failed: " + e.getMessage();
            }
        });
        loop.runNow(); // the parent opens the scope and spawns both children
        loop.runNow(); // the children start their sleeps
        assertThat(loop.snapshot().waiting()).hasSize(3);
        clock.advance(Duration.ofMillis(5));
        assertThat(loop.runUntilComplete(parent.promise())).isEqualTo("scope failed: failer gave up");
        assertThat(log).containsExactly("sleeper cleaned up");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void onlyOneBodyRunsAtATimeAndOnlyBetweenItsAwaits(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        List<String> order = new ArrayList<>();
        List<Promise<Void>> all = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String name = "b" + i;
            all.add(loop.<Void>spawnAsync(name, a -> {
                        for (int step = 0; step < 3; step++) {
                            maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            order.add(name + "." + step);
                            Thread.onSpinWait(); // a moment in which another body would show if it ran
                            inside.decrementAndGet();
                            a.yieldNow();
                        }
                        return null;
                    })
                    .promise());
        }
        loop.runUntilComplete(Promise.all(loop, all));
        assertThat(maxInside.get()).isEqualTo(1);
        // Round robin, as the ready queue dictates: each body runs from one yield to the next, in turn.
        assertThat(order.subList(0, 8)).containsExactly("b0.0", "b1.0", "b2.0", "b3.0", "b0.1", "b1.1", "b2.1", "b3.1");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void theConfinementChecksPassInsideABody(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        Task<Boolean> t = loop.spawnAsync("confined", a -> {
            Promise<Integer> p = a.loop().newPromise("made in a body"); // a loop-only call
            a.loop().scheduleAfter(1, java.util.concurrent.TimeUnit.MILLISECONDS, () -> p.complete(7));
            clock.advance(Duration.ofMillis(1));
            return a.loop().inLoopThread() && a.await(p) == 7 && a.loop().inLoopThread();
        });
        assertThat(loop.runUntilComplete(t.promise())).isTrue();
        assertThat(loop.inLoopThread()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("modes")
    void awaitOutsideItsBodyFailsFast(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        Await[] leaked = new Await[1];
        Task<String> t = loop.spawnAsync("leaker", a -> {
            leaked[0] = a;
            return "done";
        });
        loop.runUntilComplete(t.promise());
        assertThatThrownBy(leaked[0]::yieldNow)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside the body");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aBodyAwaitingCompletePromisesYieldsAfterTheBudget(AsyncMode mode) throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults()
                .withClock(clock)
                .withName("test")
                .withAsyncMode(mode)
                .withBudget(8));
        Promise<Integer> done = loop.newSucceededPromise(1);
        AtomicInteger otherRan = new AtomicInteger();
        Task<Integer> greedy = loop.spawnAsync("greedy", a -> {
            int sum = 0;
            for (int i = 0; i < 100; i++) {
                sum += a.await(done);
            }
            return sum;
        });
        loop.spawnAsync("other", a -> {
            for (int i = 0; i < 100; i++) {
                otherRan.incrementAndGet();
                a.yieldNow();
            }
            return null;
        });
        loop.runNow();
        loop.runNow();
        assertThat(greedy.state()).as("made to yield within its budget").isNotEqualTo(TaskState.DONE);
        assertThat(otherRan.get()).isPositive();
        assertThat(loop.runUntilComplete(greedy.promise())).isEqualTo(100);
        loop.runUntilComplete(loop.spawnAsync("drain", a -> {
                    a.sleep(Duration.ZERO);
                    return null;
                })
                .promise());
        while (!loop.snapshot().ready().isEmpty()) {
            loop.runNow();
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void aBodyThatBlocksIsNamedByTheWatchdog(AsyncMode mode) throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults()
                .withName("test")
                .withAsyncMode(mode)
                .withSlowStepThreshold(Duration.ofMillis(50)));
        Task<Void> t = loop.spawnAsync("hog", a -> {
            long until = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < until && loop.slowStepWarnings() == 0) {
                Thread.onSpinWait(); // holds the loop thread without an await
            }
            return null;
        });
        loop.runUntilComplete(t.promise());
        assertThat(loop.slowStepWarnings()).isPositive();
        assertThat(loop.lastSlowStepReport()).contains("task t1 \"hog\"");
    }

    @ParameterizedTest
    @MethodSource("modes")
    void awaitInsideSynchronizedWorksOrFailsClearlyNeverHangs(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        Object monitor = new Object();
        Task<String> t = loop.spawnAsync("locked", a -> {
            synchronized (monitor) {
                a.sleep(Duration.ofMillis(1));
            }
            return "slept inside synchronized";
        });
        t.promise().onComplete(p -> {});
        loop.runNow();
        clock.advance(Duration.ofMillis(1));
        try {
            assertThat(loop.runUntilComplete(t.promise())).isEqualTo("slept inside synchronized");
        } catch (IllegalStateException pinned) {
            assertThat(mode).isEqualTo(AsyncMode.CONTINUATION);
            assertThat(pinned).hasMessageContaining("pinned");
        }
    }

    @ParameterizedTest
    @MethodSource("modes")
    void awaitingADeadlineThrowsTimeoutException(AsyncMode mode) throws Exception {
        EventLoop loop = loop(mode);
        Promise<String> slow = loop.newPromise("slow");
        Task<String> t = loop.spawnAsync("impatient", a -> {
            try {
                return a.await(slow.orTimeout(Duration.ofMillis(20)));
            } catch (TimeoutException e) {
                return "gave up";
            }
        });
        loop.runNow();
        clock.advance(Duration.ofMillis(20));
        assertThat(loop.runUntilComplete(t.promise())).isEqualTo("gave up");
        assertThat(slow.isCancelled()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("modes")
    @Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void tenThousandConcurrentBodiesSuspendRepeatedlyAndAllFinish(AsyncMode mode) throws Exception {
        EventLoop loop = loops.newLoop(
                LoopOptions.defaults().withName("test").withAsyncMode(mode).withSlowStepThreshold(Duration.ZERO));
        int tasks = 10_000;
        // Under the baton every await is two thread hand-offs (park/unpark: microseconds on an idle machine, far more
        // on
        // a loaded 2-core CI box), so a million of them would take minutes. For the baton this test proves 10,000
        // bodies
        // alive at once, each suspending several times; a hundred awaits each runs under continuations. The cost of an
        // await in each mode is measured by the bench module, not here.
        int sleeps = mode == AsyncMode.CONTINUATION ? 100 : 3;
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        List<Promise<Integer>> all = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            all.add(loop.spawnAsync("sleeper " + i, a -> {
                        maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                        int n = 0;
                        for (int s = 0; s < sleeps; s++) {
                            a.sleep(Duration.ofNanos(1_000));
                            n++;
                        }
                        concurrent.decrementAndGet();
                        return n;
                    })
                    .promise());
        }
        List<Integer> counts = loop.runUntilComplete(Promise.all(loop, all));
        assertThat(counts).hasSize(tasks).allMatch(n -> n == sleeps);
        assertThat(maxConcurrent.get()).as("all alive at once").isEqualTo(tasks);
    }
}
