package dev.yieldloop.sync;

import static dev.yieldloop.sync.SyncTesting.runUntilIdle;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopSnapshot;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.TaskState;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Event}: set wakes every waiter, clear re-arms it, waiting on a set event does not wait. */
class EventTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final EventLoop loop = loops.newLoop(new FakeClock());
    private final List<String> log = new ArrayList<>();

    @Test
    void setWakesEveryWaiterInTheOrderTheyStartedWaiting() {
        Event ready = new Event(loop, "ready");
        for (int i = 1; i <= 3; i++) {
            loop.spawn("w" + i, waiter("w" + i, ready));
        }
        runUntilIdle(loop);
        assertThat(ready.waiters()).isEqualTo(3);
        assertThat(loop.snapshot().waiting())
                .extracting(LoopSnapshot.TaskInfo::waitReason)
                .containsOnly("event 'ready' (not set)");
        assertThat(log).isEmpty();

        ready.set();
        assertThat(ready.isSet()).isTrue();
        assertThat(ready.waiters()).isZero();
        runUntilIdle(loop);
        assertThat(log).containsExactly("w1", "w2", "w3");
    }

    @Test
    void waitingOnASetEventCompletesAtOnce() {
        Event ready = new Event(loop, "ready");
        ready.set();
        ready.set(); // a second set does nothing
        assertThat(ready.await().isSucceeded()).isTrue();
        Task<Void> late = loop.spawn("late", waiter("late", ready));
        loop.runNow();
        assertThat(late.state()).as("done in its first step").isEqualTo(TaskState.DONE);
        assertThat(log).containsExactly("late");
    }

    @Test
    void clearMakesLaterWaitersWaitButDoesNotTakeBackAWakeUp() {
        Event ready = new Event(loop, "ready");
        Task<Void> early = loop.spawn("early", waiter("early", ready));
        runUntilIdle(loop);
        ready.set();
        ready.clear(); // early was already woken by set
        assertThat(ready.isSet()).isFalse();
        Promise<Void> later = ready.await();
        assertThat(later.isDone()).isFalse();
        runUntilIdle(loop);
        assertThat(early.promise().isSucceeded()).isTrue();

        ready.set();
        assertThat(later.isSucceeded()).isTrue();
    }

    @Test
    void aCancelledWaiterIsRemoved() {
        Event ready = new Event(loop, "ready");
        Task<Void> w1 = loop.spawn("w1", waiter("w1", ready));
        Task<Void> w2 = loop.spawn("w2", waiter("w2", ready));
        runUntilIdle(loop);
        w1.cancel();
        assertThat(ready.waiters()).isEqualTo(1);
        ready.set();
        runUntilIdle(loop);
        assertThat(w1.promise().isCancelled()).isTrue();
        assertThat(w2.promise().isSucceeded()).isTrue();
        assertThat(log).containsExactly("w2");
    }

    /** Awaits the event, then logs its name. */
    private Coroutine<Void> waiter(String name, Event event) {
        return new Coroutine<>() {
            private Promise<Void> awaited;

            @Override
            public Step<Void> resume() {
                if (awaited == null) {
                    awaited = event.await();
                    return Step.await(awaited);
                }
                awaited.result();
                log.add(name);
                return Step.done(null);
            }
        };
    }
}
