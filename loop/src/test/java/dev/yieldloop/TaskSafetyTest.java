package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hand-written layer made safe: {@link Coroutine#onExit} as the state machine's {@code finally}, {@link
 * Promise#get()}, {@link EventLoop#runUntilComplete}, listener chains of any length in bounded stack, and errors that
 * never strand a task.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TaskSafetyTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    /** A coroutine that awaits {@code p} once, then returns its value, logging each onExit call. */
    private static Coroutine<String> awaitingOnce(Promise<String> p, List<String> exits) {
        return new Coroutine<>() {
            boolean awaited;

            @Override
            public Step<String> resume() throws Exception {
                if (!awaited) {
                    awaited = true;
                    return Step.await(p);
                }
                return Step.done(p.get());
            }

            @Override
            public void onExit(Throwable failureOrNull) {
                exits.add(
                        failureOrNull == null
                                ? "value"
                                : failureOrNull.getClass().getSimpleName());
            }
        };
    }

    @Test
    void onExitRunsExactlyOnceOnValueFailureAndCancellation() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        List<String> exits = new ArrayList<>();
        Promise<String> ok = loop.newPromise("ok");
        Promise<String> bad = loop.newPromise("bad");
        Promise<String> never = loop.newPromise("never");
        Task<String> a = loop.spawn("a", awaitingOnce(ok, exits));
        Task<String> b = loop.spawn("b", awaitingOnce(bad, exits));
        Task<String> c = loop.spawn("c", awaitingOnce(never, exits));
        b.promise().onComplete(p -> {});
        loop.runNow();
        ok.complete("fine");
        bad.fail(new IOException("checked"));
        c.cancel();
        loop.runNow();
        assertThat(a.promise().result()).isEqualTo("fine");
        assertThatThrownBy(() -> b.promise().get())
                .isInstanceOf(IOException.class)
                .hasMessage("checked");
        assertThat(c.promise().isCancelled()).isTrue();
        assertThat(exits).containsExactly("value", "IOException", "CancellationException");
        loop.runNow();
        assertThat(exits).hasSize(3);
    }

    @Test
    void onExitRunsWhenTheLoopClosesWithTheTaskAlive() {
        loops.allowTasksAliveAtClose(); // this test is about closing with a task alive
        EventLoop loop = loops.newLoop(clock);
        List<String> exits = new ArrayList<>();
        loop.spawn("parked", awaitingOnce(loop.newPromise("never"), exits));
        loop.runNow();
        loop.close();
        assertThat(exits).containsExactly("CancellationException");
    }

    @Test
    void aThrowingOnExitFailsTheTaskWithTheOriginalSuppressed() {
        EventLoop loop = loops.newLoop(clock);
        IllegalStateException original = new IllegalStateException("step failed");
        Task<Void> t = loop.spawn("careless", new Coroutine<>() {
            @Override
            public Step<Void> resume() {
                throw original;
            }

            @Override
            public void onExit(Throwable failureOrNull) throws IOException {
                throw new IOException("clean-up failed");
            }
        });
        t.promise().onComplete(p -> {});
        loop.runNow();
        assertThat(t.promise().failure()).isInstanceOf(IOException.class).hasSuppressedException(original);
    }

    @Test
    void promiseGetReturnsTheValueOrThrowsTheFailureUnwrapped() {
        EventLoop loop = loops.newLoop(clock);
        assertThat(getUnchecked(loop.newSucceededPromise("v"))).isEqualTo("v");
        IOException checked = new IOException("checked");
        assertThatThrownBy(() -> loop.newFailedPromise(checked).get()).isSameAs(checked);
        StackOverflowError error = new StackOverflowError("deep");
        assertThatThrownBy(() -> loop.newFailedPromise(error).get()).isSameAs(error);
        Promise<String> cancelled = loop.newPromise("c");
        cancelled.cancel();
        assertThatThrownBy(cancelled::get).isInstanceOf(CancellationException.class);
        assertThatThrownBy(() -> loop.newPromise("pending").get())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not done");
    }

    private static <T> T getUnchecked(Promise<T> p) {
        try {
            return p.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void runUntilCompleteDrivesTheLoopAndRethrowsTheFailureAsIs() throws Exception {
        EventLoop loop = loops.newLoop();
        Task<String> t = loop.spawnAsync("nap", a -> {
            a.sleep(Duration.ofMillis(5));
            return "rested";
        });
        assertThat(loop.runUntilComplete(t.promise())).isEqualTo("rested");
        IOException checked = new IOException("refused");
        Task<String> f = loop.spawnAsync("fails", a -> {
            a.yieldNow();
            throw checked;
        });
        f.promise().onComplete(p -> {});
        assertThatThrownBy(() -> loop.runUntilComplete(f.promise())).isSameAs(checked);
        assertThat(loop.inLoopThread()).isTrue();
    }

    @Test
    void runUntilCompleteIsRefusedFromInsideATaskAndAfterStop() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Task<String> inner = loop.spawnAsync("nested", a -> {
            try {
                a.loop().runUntilComplete(a.loop().newSucceededPromise("x"));
                return "nested run allowed";
            } catch (IllegalStateException e) {
                return e.getMessage();
            }
        });
        assertThat(loop.runUntilComplete(inner.promise())).contains("already running");
        loop.stop();
        assertThatThrownBy(() -> loop.runUntilComplete(loop.newPromise("never")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("stopped");
    }

    @Test
    void aMillionNestedFlatMapsCompleteWithoutStackOverflow() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> result = countDown(loop, 1_000_000);
        assertThat(loop.runUntilComplete(result)).isZero();
    }

    /** A recursive flatMap on already complete promises: each level's function starts the next level. */
    private static Promise<Integer> countDown(EventLoop loop, int n) {
        if (n == 0) {
            return loop.newSucceededPromise(0);
        }
        return loop.newSucceededPromise(n).flatMap(x -> countDown(loop, x - 1));
    }

    @Test
    void aMillionChainedMapsOfAPendingPromiseCompleteWithoutStackOverflow() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> root = loop.newPromise("root");
        Promise<Integer> p = root;
        for (int i = 0; i < 1_000_000; i++) {
            p = p.map(x -> x + 1);
        }
        root.complete(0);
        assertThat(loop.runUntilComplete(p)).isEqualTo(1_000_000);
    }

    @Test
    void anErrorThrownInAFlatMapFailsTheAwaitingTaskInsteadOfStrandingIt() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> source = loop.newPromise("source");
        StackOverflowError error = new StackOverflowError("thrown on purpose");
        Task<Integer> t = loop.spawnAsync(
                "awaits an erroring chain",
                a -> a.await(source.flatMap(x -> {
                    throw error;
                })));
        loop.runNow();
        source.complete(1);
        assertThatThrownBy(() -> loop.runUntilComplete(t.promise())).isSameAs(error);
        assertThat(t.state()).isEqualTo(TaskState.DONE);
    }

    @Test
    void aListenerThatThrowsAnErrorIsReportedAndTheTaskAwaitingThePromiseStillWakes() throws Exception {
        EventLoop loop = loops.newLoop(clock);
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        Promise<String> p = loop.newPromise("p");
        p.onComplete(done -> {
            throw new OutOfMemoryError("thrown on purpose");
        });
        Task<String> t = loop.spawnAsync("waiter", a -> a.await(p));
        loop.runNow();
        p.complete("woken");
        assertThat(loop.runUntilComplete(t.promise())).isEqualTo("woken");
        assertThat(reports).singleElement().satisfies(r -> assertThat(r.error()).isInstanceOf(OutOfMemoryError.class));
    }

    @Test
    void deepListenerNestingTrampolinesThroughTheReadyQueue() {
        EventLoop loop = loops.newLoop(clock);
        AtomicInteger maxDepth = new AtomicInteger();
        Promise<Integer> root = loop.newPromise("root");
        Promise<Integer> p = root;
        for (int i = 0; i < 1_000; i++) {
            p = p.map(x -> {
                maxDepth.accumulateAndGet(root.core().listenerDepth, Math::max);
                return x + 1;
            });
        }
        root.complete(0);
        assertThat(maxDepth.get()).isLessThanOrEqualTo(Promise.MAX_INLINE_LISTENER_DEPTH);
        assertThat(p.isDone()).as("the rest continues in later iterations").isFalse();
        while (!p.isDone()) {
            loop.runNow();
        }
        assertThat(p.result()).isEqualTo(1_000);
    }
}
