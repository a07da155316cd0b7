package dev.yieldloop.process;

import static dev.yieldloop.process.PoolTesting.assertNoWorkerLeft;
import static dev.yieldloop.process.PoolTesting.options;
import static dev.yieldloop.process.PoolTesting.runUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.LoopLeakCheck;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The pool's normal life: results as loop promises, failures, cancellation, deadlines, bounds, and a clean close. */
class ProcessPoolTest {

    private static final Duration MAX = Duration.ofSeconds(20);

    @RegisterExtension
    final LoopLeakCheck leaks = new LoopLeakCheck();

    @Test
    void resultsArriveAsPromisesCompletedOnTheLoopThread() throws Exception {
        EventLoop loop = leaks.newLoop();
        List<Long> pids;
        try (ProcessPool pool = ProcessPool.start(loop, options(2))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            List<Promise<Long>> results = new ArrayList<>();
            List<Thread> completedOn = new ArrayList<>();
            for (long n = 1000; n < 1006; n++) {
                Promise<Long> p = pool.submit(TestJobs.SumOfSquares.class, n);
                p.onComplete(done -> completedOn.add(Thread.currentThread()));
                results.add(p);
            }
            runUntil(loop, () -> results.stream().allMatch(Promise::isDone), MAX);
            for (int i = 0; i < results.size(); i++) {
                long n = 1000 + i;
                assertThat(results.get(i).result()).isEqualTo(new TestJobs.SumOfSquares().compute(n));
            }
            assertThat(completedOn).hasSize(6).containsOnly(Thread.currentThread());
            assertThat(pool.ready().isSucceeded()).isTrue();
            assertThat(pool.startupNanos()).isPositive();
            assertThat(pool.stats()).isEqualTo(new ProcessPool.Stats(2, 2, 0, 0, 0, 0, false));
            pids = pool.workerPids();
            assertThat(pids).hasSize(2).doesNotContain(ProcessHandle.current().pid());
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pool.socketDirectory())))
                    .isEqualTo("rwx------");
        }
        assertNoWorkerLeft(pids);
    }

    @Test
    void jobsSpreadOverWorkers() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(2))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            // Two jobs submitted in the same step, with both workers idle: each goes to its own worker at once, so
            // they report two different worker pids. On a pool that used one worker, both would report the same.
            Promise<Long> a = pool.submit(TestJobs.Pid.class, 0L);
            Promise<Long> b = pool.submit(TestJobs.Pid.class, 0L);
            runUntil(loop, () -> a.isDone() && b.isDone(), MAX);
            assertThat(a.result()).as("the two jobs ran in different workers").isNotEqualTo(b.result());
            assertThat(pool.workerPids()).containsExactlyInAnyOrder(a.result(), b.result());
        }
    }

    @Test
    void aJobThatThrowsFailsItsPromiseAndTheWorkerLivesOn() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            Promise<Long> bad = pool.submit(TestJobs.Throws.class, 7L);
            Promise<Long> good = pool.submit(TestJobs.SumOfSquares.class, 4L);
            runUntil(loop, () -> bad.isDone() && good.isDone(), MAX);
            assertThat(bad.failure())
                    .isInstanceOf(JobFailedException.class)
                    .hasMessageContaining("no answer for 7")
                    .hasMessageContaining("TestJobs$Throws.compute");
            assertThat(((JobFailedException) bad.failure()).remoteClass()).isEqualTo("java.lang.ArithmeticException");
            assertThat(good.result()).isEqualTo(14L);
            assertThat(pool.stats().crashes()).isZero();
            assertThat(pool.stats().replacements()).isZero();
        }
    }

    @Test
    void cancellingARunningJobKillsAndReplacesItsWorkerWithoutCountingACrash() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            long firstPid = pool.workerPids().get(0);
            Promise<Long> slow = pool.submit(TestJobs.Sleep.class, 30_000L);
            runUntil(loop, () -> pool.stats().busy() == 1, MAX);
            assertThat(slow.cancel()).isTrue();
            Promise<Long> next = pool.submit(TestJobs.Pid.class, 0L);
            runUntil(loop, next::isDone, MAX);
            assertThat(next.result()).isNotEqualTo(firstPid);
            assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false))
                    .isFalse();
            assertThat(pool.stats().crashes()).isZero();
            assertThat(pool.stats().replacements()).isEqualTo(1);
        }
    }

    @Test
    void cancellingAQueuedJobDequeuesIt() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            Promise<Long> first = pool.submit(TestJobs.Sleep.class, 200L);
            Promise<Long> queued = pool.submit(TestJobs.Sleep.class, 10_000L);
            assertThat(pool.stats().queued()).isEqualTo(2);
            queued.cancel();
            assertThat(pool.stats().queued()).isEqualTo(1);
            runUntil(loop, first::isDone, MAX);
            assertThat(first.result()).isEqualTo(200L);
            assertThat(pool.stats().busy()).isZero();
            assertThat(pool.stats().replacements()).isZero();
        }
    }

    @Test
    void aDeadlineFailsWithTimeoutAndReplacesTheWorker() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            long start = System.nanoTime();
            Promise<Long> bounded = pool.submit(TestJobs.Sleep.class, 30_000L, Duration.ofMillis(300));
            runUntil(loop, bounded::isDone, MAX);
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(bounded.failure()).isInstanceOf(TimeoutException.class);
            assertThat(tookMillis).isBetween(250L, 1_500L);
            Promise<Long> after = pool.submit(TestJobs.SumOfSquares.class, 3L);
            runUntil(loop, after::isDone, MAX);
            assertThat(after.result()).isEqualTo(5L);
            assertThat(pool.stats().crashes()).isZero();
            assertThat(pool.stats().replacements()).isEqualTo(1);
        }
    }

    @Test
    void aFullQueueRejectsAtOnce() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1).withMaxQueuedJobs(2))) {
            Promise<Long> a = pool.submit(TestJobs.Sleep.class, 10L);
            Promise<Long> b = pool.submit(TestJobs.Sleep.class, 10L);
            Promise<Long> c = pool.submit(TestJobs.Sleep.class, 10L);
            assertThat(c.failure())
                    .isInstanceOf(RejectedExecutionException.class)
                    .hasMessageContaining("full");
            runUntil(loop, () -> a.isDone() && b.isDone(), MAX);
            assertThat(a.isSucceeded() && b.isSucceeded()).isTrue();
        }
    }

    @Test
    void argumentsAndResultsBeyondTheFrameCapFailTheJobNotThePool() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1).withFrameCapBytes(1024))) {
            Promise<byte[]> tooBig = pool.submit(TestJobs.BigResult.class, 4096L);
            Promise<byte[]> fits = pool.submit(TestJobs.BigResult.class, 100L);
            runUntil(loop, () -> tooBig.isDone() && fits.isDone(), MAX);
            assertThat(tooBig.failure()).isInstanceOf(JobFailedException.class).hasMessageContaining("frame cap");
            assertThat(fits.result()).hasSize(100);
            assertThat(pool.stats().crashes()).isZero();
        }
    }

    @Test
    void closeCancelsPendingJobsAndLeavesNoProcess() throws Exception {
        EventLoop loop = leaks.newLoop();
        ProcessPool pool = ProcessPool.start(loop, options(2));
        Promise<Long> running = pool.submit(TestJobs.Sleep.class, 30_000L);
        Promise<Long> running2 = pool.submit(TestJobs.Sleep.class, 30_000L);
        Promise<Long> queued = pool.submit(TestJobs.Sleep.class, 30_000L);
        runUntil(loop, () -> pool.stats().busy() == 2, MAX);
        List<Long> pids = pool.workerPids();
        long start = System.nanoTime();
        pool.close();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(5_000L);
        assertThat(running.isCancelled() && running2.isCancelled() && queued.isCancelled())
                .isTrue();
        assertNoWorkerLeft(pids);
        assertThat(Files.exists(pool.socketDirectory())).isFalse();
        assertThatThrownBy(() -> pool.submit(TestJobs.Pid.class, 0L))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
        pool.close(); // twice is fine
    }

    @Test
    void submitOffTheLoopThreadFailsFast() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    pool.submit(TestJobs.Pid.class, 0L);
                } catch (Throwable e) {
                    thrown[0] = e;
                }
            });
            t.start();
            t.join(30_000);
            assertThat(thrown[0]).isInstanceOf(IllegalStateException.class).hasMessageContaining("loop thread");
        }
    }
}
