package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The task state machine (see docs/tasks.md): results, failures, cancellation, budget. */
class TaskTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    @Test
    void awaitingAPromiseParksTheTaskInTheWaitingSetUntilItCompletes() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> p = loop.newPromise("answer");
        Task<Integer> t = loop.spawn("waiter", new Coroutine<>() {
            boolean awaited;

            @Override
            public Step<Integer> resume() {
                if (!awaited) {
                    awaited = true;
                    return Step.await(p);
                }
                return Step.done(p.result() + 1);
            }
        });
        assertThat(t.state()).isEqualTo(TaskState.READY);
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.WAITING);
        LoopSnapshot s = loop.snapshot();
        assertThat(s.waiting()).singleElement().satisfies(info -> {
            assertThat(info.name()).isEqualTo("waiter");
            assertThat(info.waitReason()).isEqualTo("answer");
        });
        assertThat(s.toString()).contains("WAITING  t1 \"waiter\" on answer");
        p.complete(41);
        assertThat(t.state()).isEqualTo(TaskState.READY);
        loop.runNow();
        assertThat(t.promise().result()).isEqualTo(42);
        assertThat(loop.snapshot().waiting()).isEmpty();
    }

    @Test
    void aFailingTaskFailsItsPromiseAndTheLoopKeepsRunning() {
        EventLoop loop = loops.newLoop(clock);
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        Task<Void> bad = loop.spawn("bad", () -> {
            throw new IllegalArgumentException("boom");
        });
        Task<Void> deep = loop.spawn("deep", () -> {
            recurse(0);
            return Step.done(null);
        });
        Task<String> good = loop.spawn("good", () -> Step.done("fine"));
        loop.runNow();
        assertThat(bad.promise().failure()).isInstanceOf(IllegalArgumentException.class);
        assertThat(deep.promise().failure()).isInstanceOf(StackOverflowError.class);
        assertThat(good.promise().result()).isEqualTo("fine");
        assertThatThrownBy(() -> bad.promise().result()).hasMessage("boom");
        assertThat(reports)
                .as("failures nobody awaited reach the exception handler")
                .extracting(ExceptionHandler.ErrorReport::task)
                .containsExactly("t1 \"bad\"", "t2 \"deep\"");
    }

    @Test
    void aBrokenExceptionHandlerDoesNotKillTheLoop() {
        EventLoop loop = loops.newLoop(clock);
        int[] calls = {0};
        loop.setExceptionHandler(r -> {
            calls[0]++;
            throw new IllegalStateException("handler is broken");
        });
        loop.spawn("bad", () -> {
            throw new RuntimeException("first");
        });
        loop.execute(() -> {
            throw new RuntimeException("callback");
        });
        loop.runNow();
        Task<Integer> after = loop.spawn("after", () -> Step.done(1));
        loop.runNow();
        assertThat(calls[0]).isEqualTo(2);
        assertThat(after.promise().result()).isEqualTo(1);
    }

    @Test
    void aFailureIsDeliveredToALaterAwaiterAfterBeingReported() {
        EventLoop loop = loops.newLoop(clock);
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        Task<Void> child = loop.spawn("child", () -> {
            throw new IllegalStateException("child failed");
        });
        Task<String> parent = loop.spawn("parent", new Coroutine<>() {
            boolean awaited;

            @Override
            public Step<String> resume() {
                if (!awaited) {
                    awaited = true;
                    return Step.await(child.promise());
                }
                try {
                    child.promise().result();
                    return Step.done("no failure?");
                } catch (IllegalStateException e) {
                    return Step.done("caught " + e.getMessage());
                }
            }
        });
        // The child runs first in the pass and fails while nobody listens: the handler hears of it at once
        // (never lost), and the parent, awaiting it afterwards, still receives the failure.
        loop.runNow();
        loop.runNow();
        assertThat(parent.promise().result()).isEqualTo("caught child failed");
        assertThat(reports).hasSize(1);
    }

    @Test
    void cancellationIsDeliveredAtTheMarkedPointAndCanBeCaughtToCleanUp() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Void> never = loop.newPromise("never");
        List<String> log = new ArrayList<>();
        Task<Void> t = loop.spawn("cleaner", new Coroutine<>() {
            @Override
            public Step<Void> resume() {
                return Step.await(never);
            }

            @Override
            public Step<Void> resumeCancelled(CancellationException cancellation) {
                log.add("cleaned up: " + cancellation.getMessage());
                throw cancellation;
            }
        });
        loop.runNow();
        assertThat(t.cancel()).isTrue();
        assertThat(t.state()).as("unparked at once").isEqualTo(TaskState.READY);
        assertThat(never.isCancelled())
                .as("the awaited promise nobody else wanted")
                .isTrue();
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.DONE);
        assertThat(t.promise().isCancelled()).isTrue();
        assertThat(log).containsExactly("cleaned up: task t1 \"cleaner\" was cancelled");
        assertThat(t.cancel()).isFalse();
    }

    @Test
    void aCleanUpThatFailsEndsTheTaskFailedWithTheCancellationSuppressed() {
        EventLoop loop = loops.newLoop(clock);
        loop.setExceptionHandler(report -> {}); // nobody awaits the task: its failure is reported, by design
        Task<Void> t = loop.spawn("clumsy", new Coroutine<>() {
            @Override
            public Step<Void> resume() {
                return Step.sleep(Duration.ofSeconds(1));
            }

            @Override
            public Step<Void> resumeCancelled(CancellationException cancellation) {
                throw new IllegalStateException("clean-up broke");
            }
        });
        loop.runNow();
        t.cancel();
        loop.runNow();
        assertThat(t.promise().isFailed()).isTrue();
        assertThat(t.promise().failure())
                .hasMessage("clean-up broke")
                .satisfies(
                        f -> assertThat(f.getSuppressed()).singleElement().isInstanceOf(CancellationException.class));
    }

    @Test
    void aTaskThatIgnoresCancellationStillEndsCancelledAtItsNextMarkedPoint() {
        EventLoop loop = loops.newLoop(clock);
        Task<Void> t = loop.spawn("stubborn", new Coroutine<>() {
            @Override
            public Step<Void> resume() {
                return Step.sleep(Duration.ofSeconds(1));
            }

            @Override
            public Step<Void> resumeCancelled(CancellationException cancellation) {
                return Step.sleep(Duration.ofSeconds(1)); // ignores it
            }
        });
        loop.runNow();
        assertThat(loop.snapshot().timers()).isEqualTo(1);
        t.cancel();
        assertThat(loop.snapshot().timers()).as("the sleep's timer is gone").isZero();
        loop.runNow();
        assertThat(t.promise().isCancelled()).isTrue();
        assertThat(loop.snapshot().timers()).isZero();
    }

    @Test
    void cancellingAReadyTaskDeliversOnItsFirstRun() {
        EventLoop loop = loops.newLoop(clock);
        boolean[] ran = {false};
        Task<Void> t = loop.spawn("never runs its body", () -> {
            ran[0] = true;
            return Step.done(null);
        });
        t.cancel();
        loop.runNow();
        assertThat(ran[0]).isFalse();
        assertThat(t.promise().isCancelled()).isTrue();
    }

    @Test
    void cancellingATasksPromiseCancelsTheTask() {
        EventLoop loop = loops.newLoop(clock);
        Task<Void> t = loop.spawn("sleeper", () -> Step.sleep(Duration.ofHours(1)));
        loop.runNow();
        t.promise().cancel();
        loop.runNow();
        assertThat(t.state()).isEqualTo(TaskState.DONE);
        assertThat(loop.snapshot().timers()).isZero();
    }

    @Test
    void aTaskFindingItsPromisesCompleteYieldsAfterTheBudget() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withBudget(128));
        Promise<Integer> done = loop.newPromise();
        done.complete(1);
        int[] steps = {0};
        Task<Void> greedy = loop.spawn("greedy", () -> {
            steps[0]++;
            return Step.await(done);
        });
        boolean[] otherRan = {false};
        loop.spawn("other", () -> {
            otherRan[0] = true;
            return Step.done(null);
        });
        loop.runNow();
        assertThat(steps[0]).isEqualTo(128);
        assertThat(otherRan[0]).isTrue();
        assertThat(greedy.state()).isEqualTo(TaskState.READY);
        greedy.cancel();
        loop.runNow();
    }

    @Test
    void awaitingAnotherLoopsPromiseFailsTheTask() {
        EventLoop loop = loops.newLoop(clock);
        EventLoop other = loops.newLoop(clock);
        Promise<Void> foreign = other.newPromise();
        loop.setExceptionHandler(r -> {});
        Task<Void> t = loop.spawn("confused", () -> Step.await(foreign));
        loop.runNow();
        assertThat(t.promise().failure()).hasMessageContaining("another loop");
    }

    private static int recurse(int depth) {
        return recurse(depth + 1) + 1;
    }
}
