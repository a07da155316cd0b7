package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 3 point 6: a snapshot can be asked for from any thread and reads like a thread dump. */
class LoopSnapshotTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void anotherThreadGetsASnapshotThroughTheInboxWhileTheLoopRuns() throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withName("seen"));
        Thread thread = loop.startThread();
        try {
            Promise<Void> gate =
                    loop.submit(() -> loop.<Void>newPromise("gate")).get(10, TimeUnit.SECONDS);
            loop.submit(() -> loop.spawn("parked", Coroutine.awaiting(() -> gate)))
                    .get(10, TimeUnit.SECONDS);
            Task<Void> sleeper = loop.submit(
                            () -> loop.spawn("sleeper", Coroutine.awaiting(() -> loop.sleep(Duration.ofHours(1)))))
                    .get(10, TimeUnit.SECONDS);
            LoopSnapshot snapshot = loop.snapshot(); // from the test thread, not the loop thread
            assertThat(snapshot.loopName()).isEqualTo("seen");
            assertThat(snapshot.waiting())
                    .extracting(LoopSnapshot.TaskInfo::name)
                    .contains("parked", "sleeper");
            assertThat(snapshot.timers()).isEqualTo(1);
            assertThat(snapshot.toString())
                    .startsWith("loop \"seen\" iteration ")
                    .contains("WAITING  t1 \"parked\" on gate")
                    .contains("WAITING  t2 \"sleeper\" on ");
            assertThatThrownBy(() -> snapshot.waiting().clear()).isInstanceOf(UnsupportedOperationException.class);
            loop.submit(() -> gate.complete(null)).get(10, TimeUnit.SECONDS);
            loop.submit(sleeper::cancel).get(10, TimeUnit.SECONDS);
        } finally {
            loop.stop();
            thread.join(10_000);
        }
    }

    @Test
    void snapshotAsyncIsTakenOnTheLoopThreadWhenTheLoopNextRuns() throws Exception {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withName("async"));
        Promise<Void> gate = loop.newPromise("gate");
        Task<Void> parked = loop.spawn("parked", Coroutine.awaiting(() -> gate));
        loop.runNow();
        CompletableFuture<Thread> takenOn = new CompletableFuture<>();
        CompletableFuture<LoopSnapshot> pending = CompletableFuture.supplyAsync(() -> {
                    takenOn.complete(Thread.currentThread());
                    return loop.snapshotAsync();
                })
                .get(10, TimeUnit.SECONDS);
        assertThat(takenOn.get(10, TimeUnit.SECONDS))
                .as("asked from another thread")
                .isNotSameAs(Thread.currentThread());
        assertThat(pending).as("nothing takes it until the loop runs").isNotDone();
        loop.runNow();
        LoopSnapshot snapshot = pending.get(10, TimeUnit.SECONDS);
        assertThat(snapshot.loopName()).isEqualTo("async");
        assertThat(snapshot.waiting()).extracting(LoopSnapshot.TaskInfo::name).containsExactly("parked");
        gate.complete(null);
        loop.runNow();
        assertThat(parked.promise().isSucceeded()).isTrue();
    }
}
