package dev.yieldloop;

import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A straight-line body ({@link AsyncBody}) seen by its task as an ordinary {@link Coroutine}, so the loop core does not
 * know the difference. {@link #resume()} runs the body on its {@link Strand} until it calls one of {@link Await}'s
 * methods, which records the {@link Step} asked for and suspends the strand; {@code resume()} then returns that step.
 * The next {@code resume()} continues the body, where the {@code await} returns the promise's value or throws its
 * failure. {@link #resumeCancelled} continues it with the cancellation thrown from the pending call, so its {@code
 * finally} blocks run; {@link #onExit} does the same when the task ends from outside (the loop closing).
 *
 * <p>Threading: loop thread only; the body runs as the loop thread, one body at a time.
 *
 * @param <T> the task's value type
 */
final class AsyncCoroutine<T> implements Coroutine<T> {

    /** Kept for the public {@code Await.loop()}; the engine is reached through core. */
    private final EventLoop loop;

    private final LoopCore core;
    private final AsyncBody<T> body;
    private final String name;
    private final Await await = new Await(this);
    private final Strand strand;

    /** What the body asked for at its last suspension. */
    private Step<T> request;

    private boolean started;
    private boolean running;
    private boolean finished;
    private T value;
    private Throwable failure;
    /** Set once cancellation is delivered: every await after it throws this at once. */
    private CancellationException cancellation;
    /** Awaits of already complete promises since the body last suspended, against the cooperative budget. */
    private int inlineAwaits;

    AsyncCoroutine(EventLoop loop, LoopCore core, String name, AsyncBody<T> body, AsyncMode mode) {
        this.loop = loop;
        this.core = core;
        this.name = name;
        this.body = body;
        this.strand = mode == AsyncMode.CONTINUATION
                ? new ContinuationStrand(this::runBody)
                : new BatonStrand(core, this::runBody, name);
    }

    EventLoop loop() {
        return loop;
    }

    /** The body's own thread while it runs under the baton, for the watchdog; null under a continuation. */
    Thread bodyThread() {
        return strand.bodyThread();
    }

    // ---- loop side ------------------------------------------------------------------------------------------------

    @Override
    public Step<T> resume() throws Exception {
        enterBody();
        return outcome();
    }

    @Override
    public Step<T> resumeCancelled(CancellationException delivered) throws Exception {
        cancellation = delivered;
        if (!started) {
            finished = true; // cancelled before its first step: no code of the body ran, nothing to clean up
            throw delivered;
        }
        enterBody();
        return outcome();
    }

    @Override
    public void onExit(Throwable failureOrNull) {
        if (started && !finished) {
            // Ended from outside while parked (the loop closed): let the body's finally blocks run, awaits throwing.
            if (cancellation == null) {
                cancellation = failureOrNull instanceof CancellationException c
                        ? c
                        : new CancellationException("task \"" + name + "\" ended while its body was suspended");
            }
            enterBody();
        }
    }

    private void enterBody() {
        if (finished) {
            throw new IllegalStateException("the body of \"" + name + "\" has already returned");
        }
        started = true;
        running = true;
        inlineAwaits = 0;
        try {
            strand.resume();
        } finally {
            running = false;
        }
    }

    private Step<T> outcome() throws Exception {
        if (!finished) {
            return request;
        }
        if (failure instanceof Exception e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("body of \"" + name + "\" threw", failure);
        }
        return Step.done(value);
    }

    // ---- body side (runs on the strand) ---------------------------------------------------------------------------

    private void runBody() {
        try {
            value = body.run(await);
        } catch (Throwable t) {
            failure = t;
        } finally {
            finished = true;
        }
    }

    <V> V awaitPromise(Promise<V> promise) throws Exception {
        Objects.requireNonNull(promise, "promise");
        checkInBody("await");
        if (cancellation != null) {
            throw cancellation;
        }
        if (promise.core() != core) {
            throw new IllegalArgumentException("\"" + name + "\" awaited a promise of another loop: " + promise);
        }
        if (promise.isDone() && ++inlineAwaits < core.budget) {
            return promise.get(); // already complete: no marked point reached, continue at once within budget
        }
        suspend(promise.isDone() ? Step.yieldNow() : Step.await(promise));
        return promise.get();
    }

    void suspendFor(Step<T> step) {
        checkInBody(step instanceof Step.Yield ? "yieldNow" : "sleep");
        suspend(step);
    }

    @SuppressWarnings("unchecked")
    private void suspend(Step<?> step) {
        if (cancellation != null) {
            throw cancellation; // cancellation is final: the body may clean up but never suspend again
        }
        request = (Step<T>) step;
        inlineAwaits = 0;
        strand.suspend();
        request = null;
        if (cancellation != null) {
            throw cancellation;
        }
    }

    private void checkInBody(String op) {
        if (!running) {
            throw new IllegalStateException("Await." + op + " called outside the body of task \"" + name
                    + "\": only the body it was handed to may suspend, and only while it runs");
        }
        core.thread.check("Await." + op);
    }

    @Override
    public String toString() {
        return "body of \"" + name + "\"";
    }
}
