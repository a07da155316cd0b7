package dev.yieldloop.sync;

import static dev.yieldloop.sync.SyncTesting.runUntilIdle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.ExceptionHandler;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link TaskScope}: the first failure cancels the siblings; join waits for every child and reports every failure. */
class TaskScopeTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();
    private final EventLoop loop = loops.newLoop(clock);
    private final List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();

    @BeforeEach
    void collectReports() {
        loop.setExceptionHandler(reports::add);
    }

    @Test
    void theFirstFailureCancelsEverySibling() {
        TaskScope scope = TaskScope.open(loop, "all");
        Promise<Void> never = loop.newPromise("never");
        Task<String> slow = scope.spawn("slow", returns(Duration.ofSeconds(1), "slow"));
        IllegalStateException boom = new IllegalStateException("b failed");
        Task<String> failing = scope.spawn("failing", fails(Duration.ofMillis(10), boom));
        Task<Void> parked = scope.spawn("parked", Coroutine.awaiting(() -> never));
        Promise<Void> join = scope.join();
        List<Promise<Void>> joined = new ArrayList<>();
        join.onComplete(joined::add); // someone listens, as a task awaiting the join would
        runUntilIdle(loop);

        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);

        assertThat(failing.promise().failure()).isSameAs(boom);
        assertThat(slow.state()).isEqualTo(TaskState.DONE);
        assertThat(slow.promise().isCancelled()).isTrue();
        assertThat(parked.promise().isCancelled()).isTrue();
        assertThat(never.isCancelled()).as("what the cancelled sibling awaited").isTrue();
        assertThat(join.failure()).as("cancelled siblings are not failures").isSameAs(boom);
        assertThat(boom.getSuppressed()).isEmpty();
        assertThat(joined).containsExactly(join);
        assertThat(scope.isClosed()).isTrue();
        assertThat(loop.snapshot().timers())
                .as("the slow sibling's sleep is gone")
                .isZero();
        assertThat(reports)
                .as("the join promise had a listener: nothing unobserved")
                .isEmpty();
    }

    @Test
    void joinCompletesOnlyWhenEveryChildIsDone() {
        TaskScope scope = TaskScope.open(loop, "all");
        List<Task<String>> children = List.of(
                scope.spawn("10 ms", returns(Duration.ofMillis(10), "a")),
                scope.spawn("20 ms", returns(Duration.ofMillis(20), "b")),
                scope.spawn("30 ms", returns(Duration.ofMillis(30), "c")));
        Promise<Void> join = scope.join();
        runUntilIdle(loop);
        for (int ms = 10; ms <= 20; ms += 10) {
            clock.advance(Duration.ofMillis(10));
            runUntilIdle(loop);
            assertThat(join.isDone()).as("at %d ms", ms).isFalse();
        }
        assertThat(scope.activeChildren()).isEqualTo(1);
        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);
        assertThat(join.isSucceeded()).isTrue();
        assertThat(children).extracting(t -> t.promise().result()).containsExactly("a", "b", "c");
        assertThat(scope.isClosed()).isTrue();
        assertThat(scope.join()).as("the same promise").isSameAs(join);
    }

    @Test
    void theFirstFailureIsPrimaryAndLaterFailuresAreSuppressed() {
        TaskScope scope = TaskScope.open(loop, "all");
        IllegalStateException first = new IllegalStateException("first");
        IllegalStateException cleanupB = new IllegalStateException("clean-up of b");
        IllegalStateException cleanupD = new IllegalStateException("clean-up of d");
        scope.spawn("a", fails(Duration.ofMillis(10), first));
        scope.spawn("b", failsItsCleanUp(Duration.ofSeconds(1), cleanupB));
        scope.spawn("c", returns(Duration.ofSeconds(1), "c"));
        scope.spawn("d", failsItsCleanUp(Duration.ofSeconds(1), cleanupD));
        Task<Void> parent = loop.spawn("parent", Coroutine.awaiting(scope::join));
        runUntilIdle(loop);
        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);

        assertThat(parent.promise().failure()).isSameAs(first);
        assertThat(first.getSuppressed()).containsExactly(cleanupB, cleanupD);
        assertThat(reports)
                .as("only the parent's own failure, which nobody awaited; the scope's was joined")
                .extracting(ExceptionHandler.ErrorReport::task)
                .containsExactly(parent.toString());
    }

    @Test
    void aChildCancelledFromOutsideIsNotAFailure() {
        TaskScope scope = TaskScope.open(loop, "all");
        Task<String> cancelled = scope.spawn("cancelled", returns(Duration.ofSeconds(1), "never"));
        Task<String> finishing = scope.spawn("finishing", returns(Duration.ofMillis(10), "done"));
        Promise<Void> join = scope.join();
        runUntilIdle(loop);
        cancelled.cancel();
        runUntilIdle(loop);
        assertThat(cancelled.promise().isCancelled()).isTrue();
        assertThat(scope.isClosed()).as("the sibling runs on").isFalse();
        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);
        assertThat(finishing.promise().result()).isEqualTo("done");
        assertThat(join.isSucceeded()).isTrue();
    }

    @Test
    void cancellingTheTaskThatAwaitsJoinCancelsEveryChild() {
        TaskScope scope = TaskScope.open(loop, "downloads");
        Task<String> a = scope.spawn("a", returns(Duration.ofSeconds(1), "a"));
        Task<String> b = scope.spawn("b", returns(Duration.ofSeconds(1), "b"));
        Task<Void> parent = loop.spawn("parent", Coroutine.awaiting(scope::join));
        runUntilIdle(loop);
        assertThat(loop.snapshot().toString()).contains("WAITING  t3 \"parent\" on task scope 'downloads' join");

        parent.cancel(); // cancels the join promise it awaited (nobody else listened), which cancels the children
        assertThat(scope.isCancelled()).isTrue();
        runUntilIdle(loop);

        assertThat(parent.promise().isCancelled()).isTrue();
        assertThat(a.promise().isCancelled()).isTrue();
        assertThat(b.promise().isCancelled()).isTrue();
        assertThat(scope.isClosed()).isTrue();
        assertThat(loop.snapshot().timers()).isZero();
    }

    @Test
    void cancelCancelsEveryChildAndJoinSucceeds() {
        TaskScope scope = TaskScope.open(loop, "all");
        Task<String> a = scope.spawn("a", returns(Duration.ofSeconds(1), "a"));
        Task<String> b = scope.spawn("b", returns(Duration.ofSeconds(1), "b"));
        Promise<Void> join = scope.join();
        runUntilIdle(loop);
        assertThat(scope.cancel()).isTrue();
        assertThat(join.isDone()).as("waits for the children to end").isFalse();
        runUntilIdle(loop);
        assertThat(a.promise().isCancelled()).isTrue();
        assertThat(b.promise().isCancelled()).isTrue();
        assertThat(join.isSucceeded()).isTrue();
        assertThat(scope.isCancelled()).isTrue();
        assertThat(scope.cancel()).as("already closed").isFalse();
    }

    @Test
    void spawningIntoAClosedScopeThrows() {
        TaskScope scope = TaskScope.open(loop, "empty");
        assertThat(scope.join().isSucceeded()).as("no children: closes at once").isTrue();
        assertThatThrownBy(() -> scope.spawn("late", returns(Duration.ZERO, "x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot spawn \"late\" into task scope 'empty': it is closed");
        assertThat(loop.snapshot().ready()).as("nothing was spawned").isEmpty();
    }

    @Test
    void spawningIntoAScopeThatIsShuttingDownAfterAFailureThrows() {
        TaskScope scope = TaskScope.open(loop, "all");
        scope.spawn("sibling", returns(Duration.ofSeconds(1), "x"));
        scope.spawn("failing", fails(Duration.ofMillis(10), new IllegalStateException("boom")));
        Promise<Void> join = scope.join();
        runUntilIdle(loop);
        clock.advance(Duration.ofMillis(10));
        loop.runNow(); // the failure ran; the cancelled sibling ends in the next iteration
        assertThat(scope.isClosed()).isFalse();
        assertThatThrownBy(() -> scope.spawn("late", returns(Duration.ZERO, "x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot spawn \"late\" into task scope 'all': it is shutting down after a child failed"
                        + " with java.lang.IllegalStateException: boom");
        runUntilIdle(loop);
        assertThat(join.failure()).hasMessage("boom");
    }

    @Test
    void aFailureNobodyJoinsIsReportedAndALaterJoinStillDeliversIt() {
        TaskScope scope = TaskScope.open(loop, "forgotten");
        IllegalStateException boom = new IllegalStateException("boom");
        scope.spawn("failing", fails(Duration.ZERO, boom));
        runUntilIdle(loop);
        assertThat(scope.isClosed())
                .as("a failure shuts the scope down without a join")
                .isTrue();
        assertThat(reports)
                .singleElement()
                .satisfies(r -> assertThat(r.error())
                        .hasMessageContaining("task scope 'forgotten' failed and nobody was joining it")
                        .hasCause(boom));
        assertThat(scope.join().failure()).isSameAs(boom);
    }

    @Test
    void aChildMaySpawnASiblingWhileTheScopeIsJoining() {
        TaskScope scope = TaskScope.open(loop, "all");
        List<Task<String>> late = new ArrayList<>();
        scope.spawn("spawner", () -> {
            late.add(scope.spawn("late sibling", returns(Duration.ofMillis(10), "late")));
            return Step.done("spawned");
        });
        Promise<Void> join = scope.join();
        runUntilIdle(loop);
        assertThat(join.isDone()).as("waits for the late sibling too").isFalse();
        clock.advance(Duration.ofMillis(10));
        runUntilIdle(loop);
        assertThat(late)
                .singleElement()
                .satisfies(t -> assertThat(t.promise().result()).isEqualTo("late"));
        assertThat(join.isSucceeded()).isTrue();
    }

    private static Coroutine<String> returns(Duration after, String value) {
        return new Child(after, value, null, null);
    }

    private static Coroutine<String> fails(Duration after, RuntimeException failure) {
        return new Child(after, null, failure, null);
    }

    private static Coroutine<String> failsItsCleanUp(Duration sleep, RuntimeException cleanupFailure) {
        return new Child(sleep, "not cancelled?", null, cleanupFailure);
    }

    /** Sleeps, then returns its value or throws its failure; if cancelled, its clean-up throws when told to. */
    private static final class Child implements Coroutine<String> {
        private final Duration sleep;
        private final String value;
        private final RuntimeException failure;
        private final RuntimeException cleanupFailure;
        private boolean slept;

        Child(Duration sleep, String value, RuntimeException failure, RuntimeException cleanupFailure) {
            this.sleep = sleep;
            this.value = value;
            this.failure = failure;
            this.cleanupFailure = cleanupFailure;
        }

        @Override
        public Step<String> resume() {
            if (!slept) {
                slept = true;
                return Step.sleep(sleep);
            }
            if (failure != null) {
                throw failure;
            }
            return Step.done(value);
        }

        @Override
        public Step<String> resumeCancelled(CancellationException cancellation) {
            if (cleanupFailure != null) {
                throw cleanupFailure;
            }
            throw cancellation;
        }
    }
}
