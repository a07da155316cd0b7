package dev.yieldloop;

import java.time.Duration;
import java.util.Objects;

/**
 * What a {@link Coroutine} hands back to its task at a marked point: the only places a task gives up the loop thread.
 *
 * <p>A sealed set of four records, so the loop can read every marked point exactly (a generator's {@code yield} in
 * Python, an {@code await} in asyncio):
 *
 * <ul>
 *   <li>{@link Await}: park the task until a promise completes (at once, budget permitting, if it already has);
 *   <li>{@link Yield}: go to the back of the ready queue and let everything ready run first;
 *   <li>{@link Sleep}: park the task until a timer fires a duration from now;
 *   <li>{@link Done}: finish the task with a value.
 * </ul>
 *
 * <p>Failure is not a step: a coroutine fails by throwing from {@link Coroutine#resume()}.
 *
 * @param <T> the value type of the task the step belongs to
 */
public sealed interface Step<T> permits Step.Await, Step.Yield, Step.Sleep, Step.Done {

    /**
     * Parks the task until {@code promise} completes; the coroutine then reads it with {@link Promise#result()}.
     *
     * @param promise the promise to wait for; must belong to the same loop as the task
     * @param <T> the value type of the task
     * @return an await step
     * @throws NullPointerException if {@code promise} is null
     */
    static <T> Step<T> await(Promise<?> promise) {
        return new Await<>(promise);
    }

    /**
     * Sends the task to the back of the ready queue (asyncio's {@code await asyncio.sleep(0)}).
     *
     * @param <T> the value type of the task
     * @return a yield step
     */
    static <T> Step<T> yieldNow() {
        return new Yield<>();
    }

    /**
     * Parks the task for {@code duration} on the loop's clock.
     *
     * @param duration how long to sleep; zero or negative acts as a yield through the timer phase
     * @param <T> the value type of the task
     * @return a sleep step
     */
    static <T> Step<T> sleep(Duration duration) {
        return new Sleep<>(duration.toNanos());
    }

    /**
     * Finishes the task with {@code value}.
     *
     * @param value the task's result, may be null
     * @param <T> the value type of the task
     * @return a done step
     */
    static <T> Step<T> done(T value) {
        return new Done<>(value);
    }

    /**
     * Await a promise.
     *
     * @param promise the promise the task waits for
     * @param <T> the value type of the task
     */
    record Await<T>(Promise<?> promise) implements Step<T> {
        /**
         * Checks the promise.
         *
         * @param promise the promise the task waits for
         */
        public Await {
            Objects.requireNonNull(promise, "promise");
        }
    }

    /**
     * Yield to the rest of the ready queue.
     *
     * @param <T> the value type of the task
     */
    record Yield<T>() implements Step<T> {}

    /**
     * Sleep on a timer.
     *
     * @param durationNanos how long to sleep, in nanoseconds of the loop's clock
     * @param <T> the value type of the task
     */
    record Sleep<T>(long durationNanos) implements Step<T> {}

    /**
     * Finish with a value.
     *
     * @param value the task's result, may be null
     * @param <T> the value type of the task
     */
    record Done<T>(T value) implements Step<T> {}
}
