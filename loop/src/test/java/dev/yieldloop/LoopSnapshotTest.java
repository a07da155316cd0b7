package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Issue 3 point 6: a snapshot can be asked for from any thread and reads like a thread dump. */
class LoopSnapshotTest {

    @Test
    void anotherThreadGetsASnapshotThroughTheInboxWhileTheLoopRuns() throws Exception {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withName("seen"));
        Thread thread = loop.startThread();
        try {
            Promise<Void> gate =
                    loop.submit(() -> loop.<Void>newPromise("gate")).get();
            loop.submit(() -> loop.spawn("parked", Coroutine.awaiting(() -> gate)))
                    .get();
            loop.submit(() -> loop.spawn("sleeper", Coroutine.awaiting(() -> loop.sleep(Duration.ofHours(1)))))
                    .get();
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
            loop.submit(() -> gate.complete(null)).get();
        } finally {
            loop.stop();
            thread.join(5_000);
            loop.close();
        }
    }
}
