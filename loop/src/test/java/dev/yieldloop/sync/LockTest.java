package dev.yieldloop.sync;

import static dev.yieldloop.sync.SyncTesting.runUntilIdle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Lock}: a semaphore of one, for sections that must stay exclusive across marked points. */
class LockTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();
    private final EventLoop loop = loops.newLoop(clock);
    private final List<String> log = new ArrayList<>();

    @Test
    void aLockKeepsASectionExclusiveAcrossMarkedPoints() {
        Lock file = new Lock(loop, "log file");
        for (int i = 1; i <= 3; i++) {
            loop.spawn("writer " + i, writer(i, file));
        }
        runUntilIdle(loop);
        assertThat(file.isLocked()).isTrue();
        assertThat(file.waiters()).isEqualTo(2);
        assertThat(loop.snapshot().toString()).contains("\"writer 2\" on lock 'log file' (0/1 free, 0 ahead)");
        for (int i = 0; i < 3; i++) {
            clock.advance(Duration.ofMillis(10));
            runUntilIdle(loop);
        }
        assertThat(log).containsExactly("enter 1", "exit 1", "enter 2", "exit 2", "enter 3", "exit 3");
        assertThat(file.isLocked()).isFalse();
    }

    @Test
    void releasingALockThatIsNotHeldThrows() {
        Lock lock = new Lock(loop, "state");
        assertThatThrownBy(lock::release)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("lock 'state' released more often than acquired");
        assertThat(lock.tryAcquire()).isTrue();
        assertThat(lock.tryAcquire()).isFalse();
        lock.release();
        assertThat(lock.isLocked()).isFalse();
    }

    /** Takes the lock, logs enter, sleeps 10 ms (a marked point inside the section), logs exit, releases. */
    private Coroutine<Void> writer(int n, Lock lock) {
        return new Coroutine<>() {
            private Promise<Void> acquired;
            private boolean inside;

            @Override
            public Step<Void> resume() {
                if (acquired == null) {
                    acquired = lock.acquire();
                    return Step.await(acquired);
                }
                if (!inside) {
                    acquired.result();
                    inside = true;
                    log.add("enter " + n);
                    return Step.sleep(Duration.ofMillis(10));
                }
                log.add("exit " + n);
                lock.release();
                return Step.done(null);
            }
        };
    }
}
