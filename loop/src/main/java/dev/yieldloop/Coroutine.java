package dev.yieldloop;

import java.util.concurrent.CancellationException;
import java.util.function.Supplier;

/**
 * The resumable body of a {@link Task}: each call runs it from one marked point to the next.
 *
 * <p>A coroutine is a state machine: it keeps in its own fields where it is and which promises it awaited, and on each
 * {@link #resume()} it reads those promises ({@link Promise#result()}), does some work, and returns the next {@link
 * Step}. That is what {@code async}/{@code await} compiles to in Python, C# or Kotlin; here it is written out so every
 * point where a task gives up the loop thread is visible in the code. {@code docs/coroutine-by-hand.md} walks through
 * one.
 *
 * <p>Threading: the loop calls a coroutine only on its own thread, one step at a time, never concurrently.
 *
 * @param <T> the type of the task's value
 */
@FunctionalInterface
public interface Coroutine<T> {

    /**
     * Runs the coroutine to its next marked point.
     *
     * @return the step that says how the task continues; never null
     * @throws Exception to fail the task with that exception (a {@link CancellationException} ends it cancelled)
     */
    Step<T> resume() throws Exception;

    /**
     * Delivers a cancellation at the marked point where the task is parked, in place of {@link #resume()} (a
     * generator's {@code throw()}; asyncio's {@code CancelledError} raised at the {@code await}).
     *
     * <p>The default rethrows {@code cancellation}. A coroutine overrides it to clean up (close a connection, release a
     * permit). Whatever it returns, the task ends {@link TaskState#DONE} cancelled at that point: cancellation is final.
     * If it throws another exception, the task ends failed with that exception, {@code cancellation} suppressed.
     *
     * @param cancellation the exception that carries the cancellation, with a message naming the task
     * @return ignored: the task ends cancelled
     * @throws Exception the cancellation itself, or a failure of the clean-up
     */
    default Step<T> resumeCancelled(CancellationException cancellation) throws Exception {
        throw cancellation;
    }

    /**
     * Called exactly once when the task ends, however it ends: with a value, a failure or a cancellation, including
     * when the loop closes with the task still alive. It is the {@code finally} of a hand-written state machine: close
     * what the coroutine opened, release what it holds. It runs on the loop thread before the task's promise completes,
     * so whoever awaits the task sees the clean-up done.
     *
     * <p>If it throws, the task fails with that exception, the original failure (if any) suppressed, as a Java {@code
     * finally} that throws replaces the outcome; when the loop is closing, the exception is reported instead.
     *
     * @param failureOrNull null when the task ends with a value; else its failure (a {@link CancellationException} when
     *     cancelled)
     * @throws Exception a failure of the clean-up
     */
    default void onExit(Throwable failureOrNull) throws Exception {}

    /**
     * Adapts a promise-composing flow into a coroutine with one marked point: it calls {@code start} once, awaits the
     * promise it returns, and finishes with that promise's value, or fails with its failure unwrapped.
     *
     * @param start builds the flow; called on the loop thread when the task first runs
     * @param <T> the value type
     * @return a coroutine
     */
    static <T> Coroutine<T> awaiting(Supplier<Promise<T>> start) {
        return new Coroutine<>() {
            private Promise<T> promise;

            @Override
            public Step<T> resume() throws Exception {
                if (promise == null) {
                    promise = start.get();
                    return Step.await(promise);
                }
                Throwable failure = promise.failure();
                if (failure instanceof Exception e) {
                    throw e; // as-is, checked or not: the task fails with the flow's own exception
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                return Step.done(promise.result());
            }
        };
    }
}
