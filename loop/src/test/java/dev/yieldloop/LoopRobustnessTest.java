package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RELIABILITY 13 and 16, the watchdog and run-in-executor, on real threads and the real clock. */
class LoopRobustnessTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    @Test
    void interruptedLoopThreadDoesNotSpin() throws Exception {
        EventLoop loop = loops.newLoop();
        AtomicLong iterations = new AtomicLong();
        Thread loopThread = loop.startThread();
        // interrupt from inside a task, then from outside
        loop.submit(() -> loop.spawn("interrupter", () -> {
                    Thread.currentThread().interrupt();
                    return Step.done(null);
                }))
                .get(5, TimeUnit.SECONDS);
        loopThread.interrupt();
        // a timer keeps the loop observable without keeping it busy
        long before = loop.submit(loop::iterations).get(5, TimeUnit.SECONDS);
        long start = System.nanoTime();
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> true);
        long after = loop.submit(loop::iterations).get(5, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        iterations.set(after - before);
        assertThat(iterations.get() / seconds).as("idle iterations per second").isLessThan(20);
        // and the loop still serves work
        assertThat(loop.submit(() -> "alive").get(5, TimeUnit.SECONDS)).isEqualTo("alive");
        loop.stop();
        loopThread.join();
    }

    @Test
    void timersAndIoSurviveATaskThatYieldsForever() throws Exception {
        // RELIABILITY 16 (Tokio's "starving" test): one task yields forever; a 10 ms timer still fires on time.
        EventLoop loop = loops.newLoop();
        long[] turns = {0};
        Task<Void> spinner = loop.spawn("spinner", () -> {
            turns[0]++;
            return Step.yieldNow();
        });
        long start = System.nanoTime();
        long[] firedAfterNanos = {-1};
        loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> firedAfterNanos[0] = System.nanoTime() - start);
        CompletableFuture<String> fromOutside = new CompletableFuture<>();
        Thread outside = new Thread(() -> loop.execute(() -> fromOutside.complete("served")));
        outside.start();
        while (firedAfterNanos[0] < 0 || !fromOutside.isDone()) {
            loop.runOnce();
            assertThat(System.nanoTime() - start).as("timer and inbox starved").isLessThan(5_000_000_000L);
        }
        outside.join();
        assertThat(firedAfterNanos[0]).isLessThan(TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(fromOutside.get()).isEqualTo("served");
        assertThat(turns[0]).isGreaterThanOrEqualTo(100);
        spinner.cancel();
        loop.runNow();
    }

    @Test
    void watchdogWarnsOnceAboutAStepThatHoldsTheLoop() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withSlowStepThreshold(Duration.ofMillis(50)));
        loop.spawn("hog", () -> {
            busyFor(Duration.ofMillis(300));
            return Step.done(null);
        });
        loop.runNow();
        await().atMost(Duration.ofSeconds(2)).until(() -> loop.slowStepWarnings() >= 1);
        assertThat(loop.slowStepWarnings()).as("one warning per offending step").isEqualTo(1);
        assertThat(loop.lastSlowStepReport()).contains("task t1 \"hog\"", "has held the loop thread for", "busyFor");
        // an idle loop blocked in select (here for 200 ms, past the threshold) is never reported
        loop.scheduleAfter(200, TimeUnit.MILLISECONDS, () -> {});
        loop.runOnce();
        loop.runNow();
        assertThat(loop.slowStepWarnings()).isEqualTo(1);
    }

    @Test
    void runInExecutorCompletesOnTheLoopThread() throws Exception {
        EventLoop loop = loops.newLoop();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Thread[] ranOn = new Thread[2];
            Promise<Integer> p = loop.runInExecutor(pool, () -> {
                ranOn[0] = Thread.currentThread();
                return 6 * 7;
            });
            p.onComplete(done -> ranOn[1] = Thread.currentThread());
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!p.isDone() && System.nanoTime() < deadline) {
                loop.runOnce();
            }
            assertThat(p.result()).isEqualTo(42);
            assertThat(ranOn[0]).isNotEqualTo(Thread.currentThread());
            assertThat(ranOn[1]).isEqualTo(Thread.currentThread());

            Promise<Integer> failing = loop.runInExecutor(pool, () -> {
                throw new java.io.IOException("disk on fire");
            });
            while (!failing.isDone() && System.nanoTime() < deadline) {
                loop.runOnce();
            }
            assertThat(failing.failure())
                    .isInstanceOf(java.io.IOException.class)
                    .hasMessage("disk on fire");
        } finally {
            pool.shutdownNow();
        }
    }

    private static void busyFor(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }
}
