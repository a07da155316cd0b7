package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The promise combinators (asyncio's gather, wait FIRST_COMPLETED, and a failure handler) and their confinement. */
class PromiseTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    @Test
    void allGivesTheValuesInTheOrderOfThePromisesNotOfCompletion() {
        EventLoop loop = loops.newLoop(clock);
        Promise<String> a = loop.newPromise("a");
        Promise<String> b = loop.newPromise("b");
        Promise<List<String>> all = Promise.all(loop, List.of(a, b));
        b.complete("second");
        assertThat(all.isDone()).as("one of two done").isFalse();
        a.complete("first");
        assertThat(all.result()).containsExactly("first", "second");
        assertThat(Promise.<String>all(loop, List.of()).result()).isEmpty();
    }

    @Test
    void allFailsAsSoonAsOnePromiseFailsWithoutWaitingForTheRest() {
        EventLoop loop = loops.newLoop(clock);
        Promise<String> a = loop.newPromise("a");
        Promise<String> b = loop.newPromise("b");
        Promise<String> c = loop.newPromise("c");
        Promise<List<String>> all = Promise.all(loop, List.of(a, b, c));
        IllegalStateException boom = new IllegalStateException("boom");
        b.fail(boom);
        assertThat(all.isFailed()).as("failed while a and c are still pending").isTrue();
        assertThat(all.failure()).isSameAs(boom);
        assertThat(a.isDone() || c.isDone()).isFalse();
        a.complete("late");
        c.fail(new IllegalArgumentException("later"));
        assertThat(all.failure()).as("the first failure stays").isSameAs(boom);

        Promise<String> d = loop.newPromise("d");
        Promise<List<String>> withCancelled = Promise.all(loop, List.of(d, loop.<String>newPromise("never")));
        d.cancel();
        assertThat(withCancelled.isCancelled())
                .as("a cancelled member cancels the whole")
                .isTrue();
    }

    @Test
    void anyCompletesTheWayTheFirstPromiseToCompleteDid() {
        EventLoop loop = loops.newLoop(clock);
        Promise<String> a = loop.newPromise("a");
        Promise<String> b = loop.newPromise("b");
        Promise<String> c = loop.newPromise("c");
        Promise<String> first = Promise.any(loop, List.of(a, b, c));
        assertThat(first.isDone()).isFalse();
        c.complete("c won");
        assertThat(first.result()).isEqualTo("c won");
        a.complete("a, too late");
        assertThat(first.result()).isEqualTo("c won");

        Promise<String> x = loop.newPromise("x");
        Promise<String> y = loop.newPromise("y");
        Promise<String> firstFailure = Promise.any(loop, List.of(x, y));
        IllegalStateException boom = new IllegalStateException("boom");
        y.fail(boom);
        assertThat(firstFailure.failure())
                .as("a failure that comes first is the outcome")
                .isSameAs(boom);
        x.complete("too late");
        assertThat(firstFailure.failure()).isSameAs(boom);

        assertThat(Promise.any(loop, List.of(loop.newSucceededPromise("done"), loop.<String>newPromise("pending")))
                        .result())
                .as("an already completed promise wins at once")
                .isEqualTo("done");
        assertThatThrownBy(() -> Promise.any(loop, List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recoverMapsAFailureToAValueAndLetsSuccessAndCancellationThrough() {
        EventLoop loop = loops.newLoop(clock);
        Promise<String> failing = loop.newPromise("failing");
        Promise<String> recovered = failing.recover(e -> "recovered from " + e.getMessage());
        failing.fail(new IllegalStateException("boom"));
        assertThat(recovered.result()).isEqualTo("recovered from boom");

        Promise<String> fine = loop.newPromise("fine");
        Promise<String> untouched = fine.recover(e -> "not used");
        fine.complete("value");
        assertThat(untouched.result()).isEqualTo("value");

        Promise<String> cancelled = loop.newPromise("cancelled");
        Promise<String> stillCancelled = cancelled.recover(e -> "not used for a cancellation");
        cancelled.cancel();
        assertThat(stillCancelled.isCancelled()).isTrue();

        Promise<String> again = loop.newPromise("again");
        IllegalArgumentException second = new IllegalArgumentException("handler failed");
        Promise<String> handlerThrows = again.recover(e -> {
            throw second;
        });
        again.fail(new IllegalStateException("first"));
        assertThat(handlerThrows.failure()).isSameAs(second);
    }

    @Test
    void orTimeoutOffTheLoopThreadThrowsAndLeavesNoTimer() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Promise<String> p = loop.newPromise("p");
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                p.orTimeout(Duration.ofSeconds(1));
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(thrown.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be called on the loop thread");
        assertThat(loop.snapshot().timers())
                .as("timers left by the refused call")
                .isZero();
        p.cancel();
        assertThat(p.isCancelled()).isTrue();
        assertThatThrownBy(p::result).isInstanceOf(CancellationException.class);
    }

    @Test
    void aTasksPromiseIsLoopThreadOnlyLikeEverythingElseOfTheTask() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Task<String> task = loop.spawn("t", () -> Step.done("v"));
        CompletableFuture<Throwable> thrown = CompletableFuture.supplyAsync(() -> {
            try {
                task.promise();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        assertThat(thrown.get(10, TimeUnit.SECONDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("Task.promise must be called on the loop thread");
        loop.runNow();
        assertThat(task.promise().result()).isEqualTo("v");
    }
}
