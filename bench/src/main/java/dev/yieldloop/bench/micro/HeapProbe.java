package dev.yieldloop.bench.micro;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.bench.Machine;
import dev.yieldloop.bench.Row;
import dev.yieldloop.bench.VirtualThreadSupport;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;

/**
 * Heap per idle task, measured with full GCs and {@link MemoryMXBean} rather than JMH: the used heap after {@code n}
 * idle tasks exist minus the used heap before, divided by {@code n}. An idle waiting task awaits its own promise that
 * never completes (the promise is counted); a sleeping task sleeps an hour on a timer (the timer is counted). The
 * peers are virtual threads parked in {@link LockSupport#park()} and in {@link Thread#sleep(long)} (their stacks live
 * on the heap while unmounted, so they are counted too).
 *
 * <p>Not thread-safe: the bench's main thread, which is also the probe loop's thread.
 */
public final class HeapProbe {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private HeapProbe() {}

    /**
     * Measures all four.
     *
     * @param n tasks or threads per measurement
     * @return four rows, {@code heap-per-idle-task} and {@code heap-per-sleeping-task} for each system
     */
    public static List<Row> measure(int n) {
        List<Row> rows = new ArrayList<>();
        String note = n + " tasks, used heap after full GC";
        rows.add(yieldloop("heap-per-idle-task", n, false).withNote(note));
        rows.add(yieldloop("heap-per-sleeping-task", n, true).withNote(note));
        String reason = VirtualThreadSupport.unavailableReason();
        for (boolean sleeping : new boolean[] {false, true}) {
            String bench = sleeping ? "heap-per-sleeping-task" : "heap-per-idle-task";
            if (reason != null) {
                rows.add(Row.skipped(bench, "virtual-threads", "heap", "B", false, reason));
            } else {
                rows.add(virtualThreads(bench, n, sleeping).withNote(n + " threads, used heap after full GC"));
            }
        }
        return rows;
    }

    private static Row yieldloop(String bench, int n, boolean sleeping) {
        String load = Machine.loadavg();
        try (EventLoop loop = new EventLoop()) {
            List<Task<Void>> tasks = new ArrayList<>(n);
            long before = usedAfterGc();
            for (int i = 0; i < n; i++) {
                tasks.add(loop.spawn("idle", sleeping ? sleeper() : waiter(loop)));
            }
            for (int i = 0; i < 4; i++) {
                loop.runNow(); // every task runs its first step and parks
            }
            long after = usedAfterGc();
            for (Task<Void> t : tasks) {
                t.cancel();
            }
            for (int i = 0; i < 4; i++) {
                loop.runNow();
            }
            return Row.ok(bench, "yieldloop", "heap", "B", (after - before) / (double) n, null, false, load);
        }
    }

    private static Coroutine<Void> waiter(EventLoop loop) {
        return new Coroutine<>() {
            private Promise<Void> never;

            @Override
            public Step<Void> resume() {
                if (never == null) {
                    never = loop.newPromise();
                    return Step.await(never);
                }
                return Step.done(null);
            }
        };
    }

    private static Coroutine<Void> sleeper() {
        return new Coroutine<>() {
            private boolean slept;

            @Override
            public Step<Void> resume() {
                if (!slept) {
                    slept = true;
                    return Step.sleep(Duration.ofHours(1));
                }
                return Step.done(null);
            }
        };
    }

    private static Row virtualThreads(String bench, int n, boolean sleeping) {
        String load = Machine.loadavg();
        ThreadFactory factory = VirtualThreadSupport.factory();
        List<Thread> threads = new ArrayList<>(n);
        Runnable body = sleeping
                ? () -> {
                    try {
                        Thread.sleep(3_600_000);
                    } catch (InterruptedException e) {
                        // released by the probe
                    }
                }
                : () -> LockSupport.park();
        long before = usedAfterGc();
        for (int i = 0; i < n; i++) {
            Thread t = factory.newThread(body);
            t.start();
            threads.add(t);
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (Thread t : threads) {
            while (t.getState() == Thread.State.RUNNABLE || t.getState() == Thread.State.NEW) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
        long after = usedAfterGc();
        for (Thread t : threads) {
            t.interrupt();
            LockSupport.unpark(t);
        }
        for (Thread t : threads) {
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Row.ok(bench, "virtual-threads", "heap", "B", (after - before) / (double) n, null, false, load);
    }

    private static long usedAfterGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            used = Math.min(used, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}
