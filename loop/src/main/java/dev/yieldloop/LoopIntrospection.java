package dev.yieldloop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the loop shows of itself: the {@link LoopSnapshot} of its queues (asyncio's {@code all_tasks}, a thread dump
 * for tasks) and the slow-step watchdog's findings. The public entry points are {@code EventLoop.snapshot()}, {@code
 * snapshotAsync()}, {@code slowStepWarnings()} and {@code lastSlowStepReport()}, which delegate here.
 *
 * <p>Threading: {@link #take()} on the loop thread only; the rest thread-safe.
 */
final class LoopIntrospection {

    /** How long {@link #snapshot()} waits for the loop thread when called from another thread, in milliseconds. */
    static final long SNAPSHOT_WAIT_MILLIS = 5_000;

    private final LoopCore core;
    private final IoPoller io;

    LoopIntrospection(LoopCore core, IoPoller io) {
        this.core = core;
        this.io = io;
    }

    /**
     * Thread-safe. On the loop thread the snapshot is taken at once; from another thread it is taken on the loop thread
     * through the inbox, waiting up to {@link #SNAPSHOT_WAIT_MILLIS} ms.
     *
     * @throws IllegalStateException if the loop did not take it in time, or the wait was interrupted
     */
    LoopSnapshot snapshot() {
        if (core.thread.isCurrent()) {
            return take();
        }
        try {
            return snapshotAsync().get(SNAPSHOT_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a snapshot of loop " + core.name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "loop \"" + core.name + "\" did not take a snapshot within " + SNAPSHOT_WAIT_MILLIS + " ms", e);
        }
    }

    /** Thread-safe. A snapshot taken on the loop thread through the inbox. */
    CompletableFuture<LoopSnapshot> snapshotAsync() {
        return Submission.offer(io.inbox, core, this::take);
    }

    /** Loop thread only. The snapshot, taken now. */
    LoopSnapshot take() {
        List<LoopSnapshot.TaskInfo> readyTasks = infos(core.ready.tasks());
        Task<?> running = core.current();
        return new LoopSnapshot(
                core.name,
                core.iterations,
                running == null ? null : info(running),
                readyTasks,
                infos(core.waiting.tasks()),
                core.ready.callbackCount(),
                core.timers.size(),
                io.inbox.size(),
                io.channelCount());
    }

    /** Thread-safe. How many slow steps the watchdog has warned about; 0 when it is off. */
    long slowStepWarnings() {
        return core.watchdog == null ? 0 : core.watchdog.warnings();
    }

    /** Thread-safe. The watchdog's last warning with the loop thread's stack, or an empty string. */
    String lastSlowStepReport() {
        return core.watchdog == null ? "" : core.watchdog.lastReport();
    }

    private static List<LoopSnapshot.TaskInfo> infos(List<Task<?>> tasks) {
        List<LoopSnapshot.TaskInfo> infos = new ArrayList<>(tasks.size());
        for (Task<?> t : tasks) {
            infos.add(info(t));
        }
        return infos;
    }

    private static LoopSnapshot.TaskInfo info(Task<?> t) {
        return new LoopSnapshot.TaskInfo(t.id(), t.name(), t.stateUnchecked(), t.waitReason());
    }
}
