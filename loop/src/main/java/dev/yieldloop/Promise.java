package dev.yieldloop;

// Over the house's 400-line aim: the promise's state and listeners, and its combinators (map, flatMap, recover,
// orTimeout, all, any), which need its private state; the trampoline keeps them stack-safe in one place. Moving the
// static combinators (all, any) into their own class is the next split.

import dev.yieldloop.internal.LoopThread;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A loop-confined result that completes once, with a value, a failure or a cancellation, and then runs its listeners
 * (asyncio's {@code Future}, Netty's {@code Promise}).
 *
 * <p>Threading: loop thread only, except {@link #toCompletableFuture()}, {@link #loop()} and {@link #description()},
 * which are thread-safe. Every other method fails fast with {@link IllegalStateException} off the loop thread; other
 * threads reach a promise through {@link EventLoop#execute(Runnable)} or wait on {@link #toCompletableFuture()}.
 *
 * <p>Listeners run inline on the loop thread, in the order they were added, at the moment the promise completes (as
 * Netty's listeners do), except that at most {@value #MAX_INLINE_LISTENER_DEPTH} run nested on one stack: a deeper one
 * trampolines, continuing as a callback in the ready queue, so chains of any length run in bounded stack. A listener
 * that throws (an {@link Error} included) is reported to the loop's exception handler and the others still run.
 * Tasks that {@linkplain Step#await(Promise) await} a promise are woken through such a listener and go to the ready
 * queue: task code never runs inside a listener.
 *
 * @param <T> the value type
 */
public final class Promise<T> {

    /**
     * How many listeners may nest inline on one stack before the next one trampolines through the ready queue. Each
     * level costs a few hundred bytes of stack; 64 keeps a chain far from the default 512 KiB–1 MiB thread stacks
     * (virtual-thread and continuation bodies included) while a chain of 64 completes without a loop iteration.
     */
    static final int MAX_INLINE_LISTENER_DEPTH = 64;

    private enum State {
        PENDING,
        SUCCEEDED,
        FAILED,
        CANCELLED
    }

    /** Kept for the public {@link #loop()} and {@link #toCompletableFuture()}; the engine is reached through core. */
    private final EventLoop loop;

    private final LoopCore core;
    private final LoopThread loopThread;
    private final String description;
    private State state = State.PENDING;
    private T value;
    private Throwable failure;
    /** Invariant: non-empty only while PENDING; null once done (listeners are dropped after they ran). */
    private List<Consumer<? super Promise<T>>> listeners;
    /** Run once if the promise is cancelled: the producer's way to stop the work. Not counted as a listener. */
    private Runnable cancelHook;

    Promise(EventLoop loop, LoopCore core, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.core = Objects.requireNonNull(core, "core");
        this.loopThread = core.thread;
        this.description = description;
    }

    /** The engine of the owning loop: what a task compares to refuse a promise of another loop. */
    LoopCore core() {
        return core;
    }

    /**
     * Thread-safe. The loop this promise belongs to.
     *
     * @return the owning loop
     */
    public EventLoop loop() {
        return loop;
    }

    /**
     * Thread-safe. What this promise stands for, as shown in snapshots (e.g. {@code "readable 127.0.0.1:41234"}).
     *
     * @return the description given at creation, or {@code "promise"} when none was given
     */
    public String description() {
        return description == null ? "promise" : description;
    }

    /**
     * Loop thread only. Whether the promise has completed in any way.
     *
     * @return true once completed, failed or cancelled
     */
    public boolean isDone() {
        loopThread.check("Promise.isDone");
        return state != State.PENDING;
    }

    /**
     * Loop thread only. Whether the promise completed with a value.
     *
     * @return true if it completed normally
     */
    public boolean isSucceeded() {
        loopThread.check("Promise.isSucceeded");
        return state == State.SUCCEEDED;
    }

    /**
     * Loop thread only. Whether the promise was cancelled.
     *
     * @return true if cancelled
     */
    public boolean isCancelled() {
        loopThread.check("Promise.isCancelled");
        return state == State.CANCELLED;
    }

    /**
     * Loop thread only. Whether the promise failed (not counting cancellation).
     *
     * @return true if it failed with an exception other than a cancellation
     */
    public boolean isFailed() {
        loopThread.check("Promise.isFailed");
        return state == State.FAILED;
    }

    /**
     * Loop thread only. The value of a completed promise, or its failure rethrown (asyncio's {@code Future.result()}).
     *
     * @return the value, possibly null
     * @throws IllegalStateException if the promise is not done yet, or off the loop thread
     * @throws CancellationException if it was cancelled
     * @throws RuntimeException the failure itself when it is unchecked
     * @throws Error the failure itself when it is an error
     * @throws CompletionException wrapping the failure when it is a checked exception
     */
    public T result() {
        loopThread.check("Promise.result");
        try {
            return get();
        } catch (RuntimeException | Error unchecked) {
            throw unchecked; // cancellation, a not-done promise, or the failure itself
        } catch (Exception checked) {
            throw new CompletionException(checked);
        }
    }

    /**
     * Loop thread only. The value of a completed promise, or its failure thrown as is: checked exceptions are not
     * wrapped (what {@link Await#await(Promise)} returns; for hand-written coroutines after an await).
     *
     * @return the value, possibly null
     * @throws CancellationException if it was cancelled
     * @throws Exception the failure itself ({@link Error}s too, as they are)
     * @throws IllegalStateException if the promise is not done yet, or off the loop thread
     */
    public T get() throws Exception {
        loopThread.check("Promise.get");
        switch (state) {
            case SUCCEEDED:
                return value;
            case CANCELLED:
                throw copyOf((CancellationException) failure);
            case FAILED:
                if (failure instanceof Exception e) {
                    throw e;
                }
                if (failure instanceof Error e) {
                    throw e;
                }
                throw new java.util.concurrent.ExecutionException(failure); // a Throwable that is neither
            default:
                throw new IllegalStateException("promise not done yet: " + description());
        }
    }

    /**
     * Loop thread only. The failure of a failed or cancelled promise.
     *
     * @return the failure ({@link CancellationException} when cancelled), or null if pending or succeeded
     */
    public Throwable failure() {
        loopThread.check("Promise.failure");
        return failure;
    }

    /**
     * Loop thread only. Completes the promise with a value, if it is still pending, and runs its listeners.
     *
     * @param result the value, may be null
     * @return true if this call completed the promise, false if it was already done
     */
    public boolean complete(T result) {
        loopThread.check("Promise.complete");
        if (state != State.PENDING) {
            return false;
        }
        this.value = result;
        settle(State.SUCCEEDED);
        return true;
    }

    /**
     * Loop thread only. Fails the promise, if it is still pending, and runs its listeners.
     *
     * @param cause the failure; a {@link CancellationException} cancels the promise instead
     * @return true if this call completed the promise, false if it was already done
     * @throws NullPointerException if {@code cause} is null
     */
    public boolean fail(Throwable cause) {
        loopThread.check("Promise.fail");
        Objects.requireNonNull(cause, "cause");
        if (state != State.PENDING) {
            return false;
        }
        this.failure = cause;
        settle(cause instanceof CancellationException ? State.CANCELLED : State.FAILED);
        return true;
    }

    /**
     * Loop thread only. Cancels the promise, if it is still pending, and runs its listeners.
     *
     * <p>Cancelling a promise does not stop the work that would have completed it; to stop work, cancel its {@link
     * Task}.
     *
     * @return true if this call cancelled the promise, false if it was already done
     */
    public boolean cancel() {
        return fail(new CancellationException("cancelled: " + description()));
    }

    /**
     * Loop thread only. Runs {@code listener} on the loop thread when the promise completes, or at once if it has.
     *
     * @param listener called once with this promise; exceptions it throws go to the loop's exception handler
     * @return this promise
     */
    public Promise<T> onComplete(Consumer<? super Promise<T>> listener) {
        loopThread.check("Promise.onComplete");
        Objects.requireNonNull(listener, "listener");
        if (state != State.PENDING) {
            runListener(listener);
        } else {
            if (listeners == null) {
                listeners = new ArrayList<>(2);
            }
            listeners.add(listener);
        }
        return this;
    }

    /**
     * Loop thread only. Sets what to do if this promise is cancelled: how its producer stops the work it stands for
     * (drop an interest op, dequeue a write, cancel a timer, cancel a task). It runs before the listeners, only on
     * cancellation, and does not count in {@link #listenerCount()}. A hook that throws is reported to the loop's
     * exception handler.
     *
     * @param hook the clean-up; replaces any hook set before
     * @return this promise
     * @throws IllegalStateException off the loop thread
     */
    public Promise<T> onCancel(Runnable hook) {
        loopThread.check("Promise.onCancel");
        this.cancelHook = hook;
        return this;
    }

    /**
     * Loop thread only. Removes a listener added with {@link #onComplete(Consumer)} that has not run yet, so that a
     * waiter which gives up (a cancelled task) leaves nothing behind.
     *
     * @param listener the same instance that was added
     * @return true if it was found and removed
     */
    public boolean removeListener(Consumer<? super Promise<T>> listener) {
        loopThread.check("Promise.removeListener");
        if (listeners == null) {
            return false;
        }
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i) == listener) {
                listeners.remove(i);
                return true;
            }
        }
        return false;
    }

    /**
     * Loop thread only. The number of listeners still waiting for this promise.
     *
     * @return how many listeners have been added and not yet run or removed
     */
    public int listenerCount() {
        loopThread.check("Promise.listenerCount");
        return listeners == null ? 0 : listeners.size();
    }

    /**
     * Loop thread only. A promise of {@code fn} applied to this promise's value; failures and cancellation pass
     * through, and an exception thrown by {@code fn} fails the result.
     *
     * @param fn the function, run on the loop thread
     * @param <R> the result type
     * @return a new promise
     */
    public <R> Promise<R> map(Function<? super T, ? extends R> fn) {
        Objects.requireNonNull(fn, "fn");
        return derive((p, out) -> {
            if (p.state != State.SUCCEEDED) {
                out.fail(p.failure);
            } else {
                out.complete(fn.apply(p.value));
            }
        });
    }

    /**
     * Loop thread only. A promise of the promise {@code fn} returns for this promise's value (monadic bind); failures
     * and cancellation pass through.
     *
     * @param fn the function, run on the loop thread; a null result fails the returned promise
     * @param <R> the result type
     * @return a new promise
     */
    public <R> Promise<R> flatMap(Function<? super T, Promise<R>> fn) {
        Objects.requireNonNull(fn, "fn");
        return derive((p, out) -> {
            if (p.state != State.SUCCEEDED) {
                out.fail(p.failure);
            } else {
                Objects.requireNonNull(fn.apply(p.value), "flatMap function returned null")
                        .onComplete(out::completeFrom);
            }
        });
    }

    /**
     * Loop thread only. A promise that completes with this promise's value, or with {@code fn} applied to its failure.
     * Cancellation passes through unchanged.
     *
     * @param fn maps a failure to a value; an exception it throws fails the result
     * @return a new promise
     */
    public Promise<T> recover(Function<? super Throwable, ? extends T> fn) {
        Objects.requireNonNull(fn, "fn");
        return derive((p, out) -> {
            if (p.state != State.FAILED) {
                out.completeFrom(p);
            } else {
                out.complete(fn.apply(p.failure));
            }
        });
    }

    /**
     * The shape of {@link #map}, {@link #flatMap} and {@link #recover}: a new promise with this one's description that
     * {@code step} completes once this promise completes; whatever {@code step} throws (the user's function) fails it.
     */
    private <R> Promise<R> derive(BiConsumer<Promise<T>, Promise<R>> step) {
        Promise<R> out = new Promise<>(loop, core, description);
        onComplete(p -> {
            try {
                step.accept(p, out);
            } catch (Throwable t) {
                out.fail(t);
            }
        });
        return out;
    }

    /**
     * Loop thread only. A promise of this promise's outcome, or a {@link TimeoutException} once {@code timeout} has
     * passed on the loop's clock (asyncio's {@code wait_for}, Java's {@code CompletableFuture.orTimeout}).
     *
     * <p>A deadline is cancellation with a timer: when it fires, this promise is cancelled if nobody else listens to
     * it, so its producer stops the work (a task's promise cancels the task; a read's promise drops its interest op).
     * When this promise completes first, the timer is cancelled: nothing stays registered either way.
     *
     * @param timeout how long to wait; zero or negative times out at the next timer phase
     * @return a new promise, failed with {@link TimeoutException} at the deadline
     * @throws IllegalStateException off the loop thread
     */
    public Promise<T> orTimeout(Duration timeout) {
        loopThread.check("Promise.orTimeout"); // before the timer is added: a refused call leaves nothing behind
        Objects.requireNonNull(timeout, "timeout");
        Promise<T> out = new Promise<>(loop, core, description);
        Consumer<Promise<T>> forward = out::completeFrom;
        Timer timer = core.addTimer(timeout.toNanos(), () -> {
            removeListener(forward);
            out.fail(new TimeoutException(description() + " timed out after " + timeout.toMillis() + " ms"));
            if (state == State.PENDING && listenerCount() == 0) {
                cancel();
            }
        });
        onComplete(forward);
        out.onComplete(p -> timer.cancel());
        out.onCancel(() -> {
            removeListener(forward);
            if (state == State.PENDING && listenerCount() == 0) {
                cancel();
            }
        });
        return out;
    }

    /**
     * Loop thread only. Completes this promise the way {@code other} completed, if this one is still pending.
     *
     * @param other a completed promise
     * @return true if this call completed this promise
     * @throws IllegalStateException if {@code other} is not done
     */
    public boolean completeFrom(Promise<? extends T> other) {
        loopThread.check("Promise.completeFrom");
        return switch (other.state) {
            case SUCCEEDED -> complete(other.value);
            case FAILED, CANCELLED -> fail(other.failure);
            case PENDING -> throw new IllegalStateException("source promise not done: " + other.description());
        };
    }

    /**
     * Loop thread only. A promise of all values, in the order given, once every promise has succeeded; it fails as soon
     * as any one fails or is cancelled (asyncio's {@code gather}, {@code CompletableFuture.allOf}).
     *
     * @param loop the loop the promises belong to
     * @param promises the promises; an empty list gives an already completed promise of an empty list
     * @param <T> the value type
     * @return a new promise of an unmodifiable list
     */
    public static <T> Promise<List<T>> all(EventLoop loop, List<? extends Promise<? extends T>> promises) {
        Promise<List<T>> out = loop.newPromise("all of " + promises.size());
        int n = promises.size();
        if (n == 0) {
            out.complete(List.of());
            return out;
        }
        Object[] values = new Object[n];
        int[] remaining = {n};
        for (int i = 0; i < n; i++) {
            int index = i;
            Promise<? extends T> p = promises.get(i);
            p.onComplete(done -> {
                if (done.state != State.SUCCEEDED) {
                    out.fail(done.failure);
                    return;
                }
                values[index] = done.value;
                if (--remaining[0] == 0) {
                    @SuppressWarnings("unchecked")
                    List<T> list = (List<T>) Collections.unmodifiableList(Arrays.asList(values));
                    out.complete(list);
                }
            });
        }
        return out;
    }

    /**
     * Loop thread only. A promise completed the way the first of {@code promises} to complete did (asyncio's {@code
     * wait(..., FIRST_COMPLETED)}).
     *
     * @param loop the loop the promises belong to
     * @param promises the promises, at least one
     * @param <T> the value type
     * @return a new promise
     * @throws IllegalArgumentException if {@code promises} is empty
     */
    public static <T> Promise<T> any(EventLoop loop, List<? extends Promise<? extends T>> promises) {
        if (promises.isEmpty()) {
            throw new IllegalArgumentException("any() needs at least one promise");
        }
        Promise<T> out = loop.newPromise("any of " + promises.size());
        for (Promise<? extends T> p : promises) {
            p.onComplete(out::completeFrom);
        }
        return out;
    }

    /**
     * Thread-safe. A {@link CompletableFuture} completed on the loop thread when this promise completes, for code on
     * other threads that must block or compose with {@code java.util.concurrent}.
     *
     * @return a new future; cancelled when this promise is cancelled
     */
    public CompletableFuture<T> toCompletableFuture() {
        CompletableFuture<T> future = new CompletableFuture<>();
        Runnable attach = () -> onComplete(p -> {
            switch (p.state) {
                case SUCCEEDED -> future.complete(p.value);
                case CANCELLED -> future.cancel(false);
                default -> future.completeExceptionally(p.failure);
            }
        });
        if (loopThread.isCurrent()) {
            attach.run();
        } else {
            loop.execute(attach);
        }
        return future;
    }

    @Override
    public String toString() {
        return "Promise[" + description() + "]";
    }

    private void settle(State done) {
        state = done;
        Runnable hook = cancelHook;
        cancelHook = null;
        if (done == State.CANCELLED && hook != null) {
            try {
                hook.run();
            } catch (Throwable t) {
                core.failures.report("cancel hook of " + description(), null, t);
            }
        }
        List<Consumer<? super Promise<T>>> toRun = listeners;
        listeners = null;
        if (toRun != null) {
            for (Consumer<? super Promise<T>> listener : toRun) {
                runListener(listener);
            }
        }
    }

    /**
     * Runs one listener inline, unless listeners are already nested {@link #MAX_INLINE_LISTENER_DEPTH} deep on this
     * stack: then it trampolines, continuing in the ready queue on a fresh stack (a callback of phase 6). A chain of any
     * length (a million {@code flatMap}s, a recursive read-write echo) so runs in bounded stack.
     */
    private void runListener(Consumer<? super Promise<T>> listener) {
        if (core.listenerDepth >= MAX_INLINE_LISTENER_DEPTH) {
            core.defer(() -> runListener(listener));
            return;
        }
        core.listenerDepth++;
        try {
            listener.accept(this);
        } catch (Throwable t) {
            core.failures.report("promise listener of " + description(), null, t);
        } finally {
            core.listenerDepth--;
        }
    }

    private static CancellationException copyOf(CancellationException e) {
        CancellationException copy = new CancellationException(e.getMessage());
        copy.initCause(e);
        return copy;
    }
}
