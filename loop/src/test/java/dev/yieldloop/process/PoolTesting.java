package dev.yieldloop.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Timer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Shared set-up for the pool tests: options with the test class path, and a bounded way to drive the loop. */
final class PoolTesting {
    private PoolTesting() {}

    /** Pool options whose workers can load {@link TestJobs} (test classes, then main classes). */
    static ProcessPoolOptions options(int workers) {
        return ProcessPoolOptions.defaults()
                .withWorkers(workers)
                .withClassPath(List.of(location(TestJobs.class), location(ProcessPool.class)));
    }

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI())
                    .toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs loop iterations until {@code done} holds, failing the test after {@code max}. */
    static void runUntil(EventLoop loop, BooleanSupplier done, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("condition not met within " + max.toMillis() + " ms; " + loop.snapshot());
            }
            Timer tick = loop.scheduleAfter(20, TimeUnit.MILLISECONDS, () -> {});
            loop.runOnce();
            tick.cancel();
        }
    }

    /** Asserts that none of {@code pids} is alive and that this JVM has no worker child left. */
    static void assertNoWorkerLeft(List<Long> pids) {
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .as("worker pid %d still alive", pid)
                    .isFalse();
        }
        assertThat(ProcessHandle.current()
                        .children()
                        .filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().commandLine().orElse("").contains(WorkerMain.class.getName())))
                .as("worker processes left behind")
                .isEmpty();
    }
}
