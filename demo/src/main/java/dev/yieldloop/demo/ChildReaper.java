package dev.yieldloop.demo;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Ends every child process of the demo when the demo's JVM shuts down: the process pool's workers and the slow-site
 * server. A process pool is loop-confined and its loop thread may be busy when a signal arrives, so the shutdown hook
 * does not call {@code ProcessPool.close()}; it works on the process handles, which any thread may use.
 *
 * <p>The children also end by themselves when the demo dies by a signal no hook sees (SIGKILL): workers and the
 * server read end of file on a standard input pipe only the demo holds. This hook is the orderly path for SIGTERM and
 * SIGINT: {@linkplain ProcessHandle#destroy() SIGTERM} to every descendant, up to {@value #GRACE_MILLIS} ms for them to
 * exit, then SIGKILL to what is left (Python's {@code multiprocessing} does the same at exit).
 *
 * <p>Threading: thread-safe; meant for a shutdown hook.
 */
public final class ChildReaper {

    /** How long children get to exit after SIGTERM before SIGKILL, in milliseconds. */
    static final long GRACE_MILLIS = 1_000;

    private ChildReaper() {}

    /** Terminates every descendant of this process, waiting up to about {@value #GRACE_MILLIS} ms, then kills. */
    public static void reapAll() {
        List<ProcessHandle> children = ProcessHandle.current()
                .descendants()
                .filter(ProcessHandle::isAlive)
                .toList();
        if (children.isEmpty()) {
            return;
        }
        children.forEach(ProcessHandle::destroy);
        try {
            CompletableFuture.allOf(children.stream().map(ProcessHandle::onExit).toArray(CompletableFuture<?>[]::new))
                    .get(GRACE_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception timedOutOrInterrupted) {
            children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        }
    }
}
