package dev.yieldloop.demo.strategy;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.process.ProcessPool;

/**
 * One run's work, as every {@link Strategy} needs it: {@link #size()} items, each offered in three forms, and a place
 * for each item's outcome. The IO-bound workload's items are downloads, the CPU-bound one's are sums; a strategy knows
 * neither, so one strategy file serves both workloads (as the article runs one {@code ThreadPoolExecutor} over either
 * function).
 *
 * <ul>
 *   <li>the <b>blocking</b> form, {@link #openSession()}: ordinary code on a thread that may block, as the article's
 *       {@code requests} and plain functions are; a session is what one worker keeps across its items (a kept-alive
 *       HTTP client, the article's {@code requests.Session});
 *   <li>the <b>task</b> form, {@link #taskForm()}: a {@link Coroutine} per item that gives up the loop thread at marked
 *       points, the article's {@code async def};
 *   <li>the <b>process-job</b> form, {@link #submit(ProcessPool, int)}: the item sent to a worker process, the
 *       article's {@code multiprocessing.Pool.map}.
 * </ul>
 *
 * <p>Every item ends in exactly one of {@link #succeeded} or {@link #failed}; an item's failure is recorded, never
 * thrown out of the strategy.
 *
 * <p>Threading: {@link #succeeded} and {@link #failed} are thread-safe; the forms say where they run.
 *
 * @param <R> one item's result, e.g. {@code HttpResult} or {@code Long}
 */
public interface Workload<R> {

    /**
     * The workload's short name: the name of a loop that runs it, and the prefix of its threads' names.
     *
     * @return e.g. {@code downloads}
     */
    String name();

    /**
     * What one item is called, in the plural: the unit of progress lines and of the {@code --limit} semaphore's name.
     *
     * @return e.g. {@code downloads} or {@code numbers}
     */
    String unit();

    /**
     * How many items the run holds; they are numbered {@code 0 … size() - 1}.
     *
     * @return at least 0
     */
    int size();

    /**
     * The blocking form: a new session for one worker, used by one thread at a time. Thread-safe.
     *
     * @return a session; close it when the worker is done
     */
    Session<R> openSession();

    /**
     * The task form, prepared before any loop runs (work that would block a loop thread, such as resolving host names,
     * is done here). Calling thread.
     *
     * @return how to make each item's coroutine
     * @throws Exception if the preparation fails (for example an unknown host); the strategy then fails as a whole
     */
    TaskForm<R> taskForm() throws Exception;

    /**
     * The process-job form: submits item {@code index} to {@code pool}. Loop thread only (the pool's loop).
     *
     * @param pool a started pool whose queue holds at least {@link #size()} jobs
     * @param index the item
     * @return the item's result, on the pool's loop
     */
    Promise<R> submit(ProcessPool pool, int index);

    /**
     * Thread-safe. Records that item {@code index} produced {@code result}.
     *
     * @param index the item
     * @param result its result
     */
    void succeeded(int index, R result);

    /**
     * Thread-safe. Records that item {@code index} failed.
     *
     * @param index the item
     * @param failure why
     */
    void failed(int index, Throwable failure);

    /**
     * Thread-safe. Runs item {@code index} in {@code session} and records its outcome: a blocking worker's step.
     *
     * @param session the worker's session
     * @param index the item
     */
    default void runAndRecord(Session<R> session, int index) {
        R result;
        try {
            result = session.run(index);
        } catch (Exception e) {
            failed(index, e);
            return;
        }
        succeeded(index, result);
    }

    /**
     * Loop thread only. Records {@code result}'s outcome for item {@code index} when it completes, then runs {@code
     * afterEach}: a loop-driven strategy's step.
     *
     * @param index the item
     * @param result the item's promise
     * @param afterEach run on the loop thread after the outcome is recorded
     * @return a promise that succeeds (with null) once the outcome is recorded, whatever it was, so that {@link
     *     Promise#all} over these waits for every item
     */
    default Promise<Void> recordWhenDone(int index, Promise<R> result, Runnable afterEach) {
        Promise<Void> recorded = result.loop().newPromise("outcome " + index + " recorded");
        result.onComplete(p -> {
            if (p.isSucceeded()) {
                succeeded(index, p.result());
            } else {
                failed(index, p.failure());
            }
            afterEach.run();
            recorded.complete(null);
        });
        return recorded;
    }

    /**
     * What one blocking worker keeps across its items.
     *
     * <p>Threading: used by one thread at a time.
     *
     * @param <R> one item's result
     */
    @FunctionalInterface
    interface Session<R> extends AutoCloseable {

        /**
         * Runs item {@code index} on the calling thread, blocking as long as it takes.
         *
         * @param index the item
         * @return its result
         * @throws Exception the item's failure
         */
        R run(int index) throws Exception;

        /** Releases what the session holds (a connection); nothing by default. Never throws. */
        @Override
        default void close() {}
    }

    /**
     * How to make each item's task body.
     *
     * <p>Threading: loop thread only.
     *
     * @param <R> one item's result
     */
    interface TaskForm<R> {

        /**
         * The task's name, shown in loop snapshots and traces.
         *
         * @param index the item
         * @return e.g. {@code download /page/3}
         */
        String taskName(int index);

        /**
         * A new coroutine computing item {@code index} on {@code loop}; spawn it to run it.
         *
         * @param loop the loop it will run on
         * @param index the item
         * @return the coroutine
         */
        Coroutine<R> task(EventLoop loop, int index);
    }
}
