package dev.yieldloop.process;

import static dev.yieldloop.process.PoolTesting.assertNoWorkerLeft;
import static dev.yieldloop.process.PoolTesting.options;
import static dev.yieldloop.process.PoolTesting.runUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.yieldloop.EventLoop;
import dev.yieldloop.ExceptionHandler;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.CapturedLog;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * However a worker dies, its in-flight job fails with a clear {@link WorkerCrashedException}
 * promptly (within 1 s on a quiet machine; see crash()), nothing hangs, the slot gets a new worker, and past the crash
 * allowance the pool reports itself broken.
 */
class WorkerCrashTest {

    private static final Duration MAX = Duration.ofSeconds(20);

    @RegisterExtension
    final LoopLeakCheck leaks = new LoopLeakCheck();

    /**
     * Runs one crashing job on a ready one-worker pool; returns its failure. On a quiet machine it arrives well within
     * 1 s. The check allows 10 s: the report waits on the dying JVM and the JDK's process reaper, both of which a busy
     * machine delays (one run with two CPU burners and other builds took 1,004 ms), and the jobs here have no deadline,
     * so a crash that went unnoticed would never end the job at all.
     */
    private static WorkerCrashedException crash(EventLoop loop, ProcessPool pool, Promise<?> job, Runnable killer) {
        runUntil(loop, () -> pool.stats().busy() == 1 || job.isDone(), MAX);
        killer.run();
        long start = System.nanoTime();
        runUntil(loop, job::isDone, MAX);
        assertThat((System.nanoTime() - start) / 1_000_000)
                .as("crash reported within 10 s")
                .isLessThan(10_000L);
        assertThat(job.failure()).isInstanceOf(WorkerCrashedException.class);
        return (WorkerCrashedException) job.failure();
    }

    /** After a crash the slot's new worker takes jobs again. */
    private static void assertReplaced(EventLoop loop, ProcessPool pool) {
        Promise<Long> after = pool.submit(TestJobs.SumOfSquares.class, 3L);
        runUntil(loop, after::isDone, MAX);
        assertThat(after.result()).isEqualTo(5L);
        assertThat(pool.stats().replacements()).isEqualTo(1);
        assertThat(pool.stats().crashes()).isEqualTo(1);
    }

    @Test
    void killedBusyWorkerFailsItsJobAndIsReplaced() throws Exception {
        EventLoop loop = leaks.newLoop();
        List<Long> pids;
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            long pid = pool.workerPids().get(0);
            Promise<Long> job = pool.submit(TestJobs.Sleep.class, 30_000L);
            WorkerCrashedException e = crash(
                    loop, pool, job, () -> ProcessHandle.of(pid).orElseThrow().destroyForcibly());
            assertThat(e.exitCode()).isEqualTo(137);
            assertThat(e).hasMessageContaining("pid " + pid).hasMessageContaining("TestJobs$Sleep");
            assertReplaced(loop, pool);
            pids = pool.workerPids();
        }
        assertNoWorkerLeft(pids);
    }

    @Test
    void systemExitInAJobIsACrashWithItsExitCode() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            Promise<Long> job = pool.submit(TestJobs.Exit.class, 1L);
            WorkerCrashedException e = crash(loop, pool, job, () -> {});
            assertThat(e.exitCode()).isEqualTo(1);
            assertThat(e).hasMessageContaining("exited with code 1");
            assertReplaced(loop, pool);
        }
    }

    @Test
    void haltInAJobIsACrash() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            Promise<Long> job = pool.submit(TestJobs.Halt.class, 9L);
            assertThat(crash(loop, pool, job, () -> {}).exitCode()).isEqualTo(9);
            assertReplaced(loop, pool);
        }
    }

    @Test
    void haltMidResultIsATruncatedFrameCrash() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            Promise<Long> job = pool.submit(TestJobs.HaltMidResult.class, 0L);
            WorkerCrashedException e = crash(loop, pool, job, () -> {});
            assertThat(e.exitCode()).isEqualTo(3);
            assertThat(e).hasMessageContaining("truncated frame");
            assertReplaced(loop, pool);
        }
    }

    @Test
    void aDeclaredLengthBeyondTheCapIsAProtocolErrorNotAnAllocation() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            Promise<Long> job = pool.submit(TestJobs.HugeLength.class, 0L);
            WorkerCrashedException e = crash(loop, pool, job, () -> {});
            assertThat(e).hasMessageContaining("protocol error").hasMessageContaining("2147483647");
            assertReplaced(loop, pool);
        }
    }

    @Test
    void anUnknownTagIsAProtocolError() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1))) {
            runUntil(loop, () -> pool.ready().isDone(), MAX);
            Promise<Long> job = pool.submit(TestJobs.UnknownTag.class, 0L);
            WorkerCrashedException e = crash(loop, pool, job, () -> {});
            assertThat(e).hasMessageContaining("unknown frame tag 0x5a");
            assertReplaced(loop, pool);
        }
    }

    @Test
    void pastTheCrashAllowanceThePoolIsBroken() throws Exception {
        EventLoop loop = leaks.newLoop();
        try (ProcessPool pool = ProcessPool.start(loop, options(1).withMaxCrashes(1))) {
            Promise<Long> first = pool.submit(TestJobs.Exit.class, 2L);
            Promise<Long> second = pool.submit(TestJobs.Exit.class, 2L);
            Promise<Long> queued = pool.submit(TestJobs.SumOfSquares.class, 3L);
            runUntil(loop, () -> first.isDone() && second.isDone() && queued.isDone(), MAX);
            assertThat(first.failure()).isInstanceOf(WorkerCrashedException.class);
            assertThat(second.failure()).isInstanceOf(WorkerCrashedException.class);
            assertThat(queued.failure())
                    .isInstanceOf(ProcessPoolBrokenException.class)
                    .hasMessageContaining("2 worker crashes");
            assertThat(pool.stats().broken()).isTrue();
            assertThat(pool.submit(TestJobs.SumOfSquares.class, 3L).failure())
                    .isInstanceOf(ProcessPoolBrokenException.class);
            runUntil(loop, () -> pool.workerPids().isEmpty(), MAX);
        }
    }

    @Test
    void aWorkerThatCannotStartIsReportedAndBreaksThePool() throws Exception {
        EventLoop loop = leaks.newLoop();
        ProcessPoolOptions bad = options(1).withMaxCrashes(1).withClassPath(List.of("/nonexistent"));
        try (ProcessPool pool = ProcessPool.start(loop, bad)) {
            Promise<Long> job = pool.submit(TestJobs.SumOfSquares.class, 3L);
            runUntil(loop, job::isDone, MAX);
            assertThat(job.failure())
                    .isInstanceOf(ProcessPoolBrokenException.class)
                    .hasMessageContaining("before it connected");
            assertThat(pool.ready().failure()).isInstanceOf(ProcessPoolBrokenException.class);
        }
    }

    @Test
    void aCrashAfterCloseNeitherHangsNorReports() throws Exception {
        // close() kills the busy worker and reaps it. Its exit then reaches the pool from the JDK's process reaper,
        // which runs the pool's exit callback on its own thread a moment later: here after the loop closed too, the
        // order of a program shutting down. The pool was closed, so that exit is expected and must not be reported.
        EventLoop loop = leaks.newLoop();
        List<ExceptionHandler.ErrorReport> reports = new ArrayList<>();
        loop.setExceptionHandler(reports::add);
        try (CapturedLog log = CapturedLog.of(ProcessPool.class)) {
            ProcessPool pool = ProcessPool.start(loop, options(2));
            Promise<Long> job = pool.submit(TestJobs.Sleep.class, 30_000L);
            runUntil(loop, () -> pool.stats().busy() == 1 && pool.ready().isDone(), MAX);
            List<Long> pids = pool.workerPids();
            pool.close();
            loop.close();
            assertThat(job.isCancelled()).isTrue();
            assertNoWorkerLeft(pids);
            // the reaper's late exit callbacks run within moments of close; a report would show up by now
            await().pollDelay(Duration.ofSeconds(2))
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> true);
            assertThat(log.warnings()).as("warnings logged by the pool").isEmpty();
            assertThat(reports).as("reports to the loop's exception handler").isEmpty();
            assertThat(pool.stats().crashes()).as("crashes counted").isZero();
        }
    }
}
