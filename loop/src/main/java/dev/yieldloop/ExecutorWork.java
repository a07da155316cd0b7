package dev.yieldloop;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Blocking work handed to an {@link Executor}, its outcome carried back to the loop thread (asyncio's {@code
 * run_in_executor}): the engine of {@code EventLoop.runInExecutor}.
 *
 * <p>Threading: {@link #start} on the loop thread; the work runs on the executor's thread, which hands the outcome to
 * {@code deliver} (the loop's thread-safe {@code execute}).
 */
final class ExecutorWork {

    private ExecutorWork() {}

    /**
     * Submits {@code work} to {@code executor}; its value or failure completes {@code promise} through {@code deliver},
     * which runs the completion on the loop thread. Cancelling the promise interrupts the work when the executor is an
     * {@link ExecutorService}. A rejected submission fails the promise at once.
     */
    static <T> void start(Executor executor, Callable<T> work, Promise<T> promise, Consumer<Runnable> deliver) {
        Runnable job = () -> {
            Runnable completion;
            try {
                T value = work.call();
                completion = () -> promise.complete(value);
            } catch (Throwable t) {
                completion = () -> promise.fail(t);
            }
            try {
                deliver.accept(completion);
            } catch (IllegalStateException closedMeanwhile) {
                // the loop closed while the work ran: nobody is left to receive the result
            }
        };
        try {
            if (executor instanceof ExecutorService service) {
                Future<?> future = service.submit(job);
                promise.onCancel(() -> future.cancel(true));
            } else {
                executor.execute(job);
            }
        } catch (RuntimeException rejected) {
            promise.fail(rejected);
        }
    }
}
