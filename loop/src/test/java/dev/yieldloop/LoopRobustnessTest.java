package dev.yieldloop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An interrupted loop thread does not spin, timers and I/O survive a task that yields forever, plus the watchdog and
 * run-in-executor, on real threads and the real clock.
 */
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
        loopThread.join(30_000);
    }

    @Test
    // A loop that never returns from runOnce (the bug this guards against) ignores interrupts: only a separate thread
    // lets the timeout fail the test.
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void timersAndIoSurviveATaskThatYieldsForever() throws Exception {
        // Ready-queue saturation (Tokio's "starving" test): one task yields forever; a 10 ms timer still fires on time
        // and an inbox callback is still served. "On time" is counted in the spinner's turns, not in milliseconds, so
        // it holds on a busy machine. Each iteration fires due timers (phase 4) before the spinner's one turn
        // (phase 6), so at most one turn begins after the deadline before the timer fires: the one whose iteration read
        // the clock just before it. The callback is drained (phase 5) behind the spinner's queue entry and runs after
        // it in phase 6, so at most two turns begin after it was queued: one in the iteration that missed it, one in
        // the iteration that runs it.
        EventLoop loop = loops.newLoop();
        boolean[] fired = {false};
        long[] deadline = {Long.MAX_VALUE};
        long[] turns = {0};
        long[] turnsPastDeadline = {0};
        long[] turnsAfterSent = {0};
        AtomicBoolean sent = new AtomicBoolean();
        CompletableFuture<String> fromOutside = new CompletableFuture<>();
        Task<Void> spinner = loop.spawn("spinner", () -> {
            turns[0]++;
            if (!fired[0] && loop.nanoTime() - deadline[0] >= 0) {
                turnsPastDeadline[0]++;
            }
            if (!fromOutside.isDone() && sent.get()) {
                turnsAfterSent[0]++;
            }
            return Step.yieldNow();
        });
        for (int i = 0; i < 1_000; i++) {
            loop.runNow(); // warm up: the spinner is now spinning, one turn per iteration
        }
        long start = loop.nanoTime();
        Timer timer = loop.scheduleAfter(10, TimeUnit.MILLISECONDS, () -> fired[0] = true);
        deadline[0] = timer.deadlineNanos();
        Thread outside = new Thread(() -> {
            loop.execute(() -> fromOutside.complete("served"));
            sent.set(true); // after the offer: a turn counted from here on started after the callback was queued
        });
        outside.start();
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!fired[0] || !fromOutside.isDone()) {
            loop.runOnce();
            assertThat(System.nanoTime() - giveUp).as("timer and inbox starved").isNegative();
        }
        outside.join(30_000);
        assertThat(loop.nanoTime() - start).as("not early").isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(10));
        assertThat(turnsPastDeadline[0])
                .as("spinner turns that began after the timer was due")
                .isLessThanOrEqualTo(1);
        assertThat(turnsAfterSent[0])
                .as("spinner turns that began after the callback was queued")
                .isLessThanOrEqualTo(2);
        assertThat(fromOutside.get(10, TimeUnit.SECONDS)).isEqualTo("served");
        assertThat(turns[0])
                .as("the spinner kept running while the timer was pending")
                .isGreaterThan(1_000);
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
