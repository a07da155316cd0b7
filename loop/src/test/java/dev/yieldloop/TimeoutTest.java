package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Deadlines as cancellation with a timer: {@link Promise#orTimeout(Duration)}. */
class TimeoutTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    @Test
    void aTaskPastItsDeadlineIsCancelledAndTheAwaiterGetsATimeout() {
        EventLoop loop = loops.newLoop(clock);
        Task<String> slow = loop.spawn("slow", new Coroutine<>() {
            boolean slept;

            @Override
            public Step<String> resume() {
                if (slept) {
                    return Step.done("too late");
                }
                slept = true;
                return Step.sleep(Duration.ofSeconds(10));
            }
        });
        Promise<String> bounded = slow.promise().orTimeout(Duration.ofMillis(100));
        loop.runNow();
        assertThat(loop.snapshot().timers()).as("the sleep and the deadline").isEqualTo(2);
        clock.advance(Duration.ofMillis(100));
        loop.runNow();
        assertThat(bounded.failure())
                .isInstanceOf(TimeoutException.class)
                .hasMessageContaining("timed out after 100 ms");
        loop.runNow();
        assertThat(slow.state()).isEqualTo(TaskState.DONE);
        assertThat(slow.promise().isCancelled()).isTrue();
        assertThat(loop.snapshot().timers()).as("no timer left behind").isZero();
        assertThat(loop.snapshot().waiting()).isEmpty();
    }

    @Test
    void completingBeforeTheDeadlineCancelsItsTimer() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> p = loop.newPromise("quick");
        Promise<Integer> bounded = p.orTimeout(Duration.ofSeconds(1));
        assertThat(loop.snapshot().timers()).isEqualTo(1);
        p.complete(5);
        assertThat(bounded.result()).isEqualTo(5);
        assertThat(loop.snapshot().timers()).isZero();
    }

    @Test
    void cancellingTheBoundedPromiseCancelsTheSourceAndTheTimer() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> p = loop.newPromise("source");
        Promise<Integer> bounded = p.orTimeout(Duration.ofSeconds(1));
        bounded.cancel();
        assertThat(p.isCancelled()).isTrue();
        assertThat(loop.snapshot().timers()).isZero();
    }

    @Test
    void aSharedSourceIsNotCancelledByOneWaitersTimeout() {
        EventLoop loop = loops.newLoop(clock);
        Promise<Integer> shared = loop.newPromise("shared");
        Promise<Integer> other = shared.map(v -> v * 2);
        Promise<Integer> bounded = shared.orTimeout(Duration.ofMillis(10));
        clock.advance(Duration.ofMillis(10));
        loop.runNow();
        assertThat(bounded.failure()).isInstanceOf(TimeoutException.class);
        assertThat(shared.isDone()).as("another waiter still wants it").isFalse();
        shared.complete(21);
        assertThat(other.result()).isEqualTo(42);
    }
}
