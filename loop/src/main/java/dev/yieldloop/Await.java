package dev.yieldloop;

import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * The only way a straight-line body ({@link AsyncBody}) suspends: each call is a marked point where the task gives up
 * the loop thread, exactly as an {@code await} in asyncio, C# or Kotlin. Between two calls the body runs alone on the
 * loop; across a call, anything may have happened.
 *
 * <p>Semantics are those of the hand-written {@link Coroutine} steps: {@link #await(Promise)} is {@link Step#await},
 * {@link #yieldNow()} is {@link Step#yieldNow()}, {@link #sleep(Duration)} is {@link Step#sleep(Duration)}. Awaiting a
 * promise that is already complete continues at once, up to the loop's cooperative budget ({@link
 * LoopOptions#budget()}); past it the task yields once, so a body that always finds its promises complete still lets
 * others run (Tokio's cooperative budget).
 *
 * <p>Cancellation arrives as a {@link CancellationException} thrown from the pending call, so {@code try/finally} and
 * try-with-resources clean up. Cancellation is final: once it has been delivered, every later call throws it again at
 * once, without suspending, and the task ends cancelled whatever the body returns.
 *
 * <p>Threading: only inside the body it was handed to, while that body runs; any other use throws {@link
 * IllegalStateException}.
 */
public final class Await {

    private final AsyncCoroutine<?> coroutine;

    Await(AsyncCoroutine<?> coroutine) {
        this.coroutine = coroutine;
    }

    /**
     * Body only. Suspends the task until {@code promise} completes, then returns its value or throws its failure, as
     * is: checked exceptions are not wrapped.
     *
     * @param promise a promise of the same loop
     * @param <V> the value type
     * @return the value, possibly null
     * @throws CancellationException if the promise was cancelled, or the task is cancelled while it waits
     * @throws Exception the promise's own failure (an {@link Error} is rethrown as is)
     * @throws IllegalStateException outside the body, or if the body cannot suspend here (a pinned continuation)
     * @throws IllegalArgumentException if {@code promise} belongs to another loop
     */
    public <V> V await(Promise<V> promise) throws Exception {
        return coroutine.awaitPromise(promise);
    }

    /**
     * Body only. Sends the task to the back of the ready queue, so that everything ready runs first (asyncio's {@code
     * await asyncio.sleep(0)}).
     *
     * @throws CancellationException if the task is cancelled meanwhile
     * @throws IllegalStateException outside the body, or if it cannot suspend here
     */
    public void yieldNow() {
        coroutine.suspendFor(Step.yieldNow());
    }

    /**
     * Body only. Suspends the task for {@code duration} on the loop's clock (asyncio's {@code await asyncio.sleep(d)}).
     *
     * @param duration how long; zero or negative yields through the timer phase
     * @throws CancellationException if the task is cancelled meanwhile (the timer is removed)
     * @throws IllegalStateException outside the body, or if it cannot suspend here
     */
    public void sleep(Duration duration) {
        coroutine.suspendFor(Step.sleep(duration));
    }

    /**
     * Thread-safe. The loop the body runs on.
     *
     * @return the loop
     */
    public EventLoop loop() {
        return coroutine.loop();
    }

    @Override
    public String toString() {
        return "Await[" + coroutine + "]";
    }
}
