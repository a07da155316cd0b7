package dev.yieldloop;

import dev.yieldloop.internal.LoopThread;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

/**
 * A unit of cooperative work on an {@link EventLoop}: a name, an id, a {@link TaskState}, a {@link Coroutine} body and
 * a {@link Promise} for its result. Create one with {@link EventLoop#spawn(String, Coroutine)}.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li>{@code state == WAITING} ⇔ the task is in the loop's waiting set ⇔ exactly one of {@code awaited} (with {@code
 *       wakeListener} registered on it) and {@code sleepTimer} (pending in the timer heap) is non-null.
 *   <li>{@code state == READY} ⇔ the task is in the ready queue exactly once.
 *   <li>{@code state == DONE} ⇔ {@code promise} is done; the task holds no listener, timer or queue entry.
 * </ul>
 *
 * <p>Every state change goes through {@link #transitionTo(TaskState)}, which enforces {@link TaskState}'s diagram
 * (Tokio's {@code transition_to_*}).
 *
 * <p>Threading: loop thread only, except {@link #id()}, {@link #name()} and {@link #toString()}, which are
 * thread-safe.
 *
 * @param <T> the type of the task's value
 */
public final class Task<T> {

    private final LoopCore core;
    private final LoopThread loopThread;
    private final long id;
    private final String name;
    private final Coroutine<T> coroutine;
    private final Promise<T> promise;
    private final Consumer<Promise<?>> wakeListener = this::onAwaitedDone;
    /** This task's one entry in the ready queue, queued while READY. */
    private final ReadyQueue.Entry readyEntry = new ReadyQueue.Entry() {
        @Override
        public void run() {
            Task.this.run();
        }

        @Override
        public Task<?> task() {
            return Task.this;
        }

        @Override
        public String toString() {
            return Task.this.toString();
        }
    };

    private TaskState state = TaskState.NEW;
    private Promise<?> awaited;
    private Timer sleepTimer;
    private boolean cancelRequested;
    private boolean cancelDelivered;
    private long steps;
    private int outcome; // for the trace journal: 0 value, 1 failure, 2 cancelled

    /** A NEW task; {@code promise} is a fresh pending promise of the same loop, described as the task. */
    Task(LoopCore core, long id, String name, Coroutine<T> coroutine, Promise<T> promise) {
        this.core = core;
        this.loopThread = core.thread;
        this.id = id;
        this.name = name;
        this.coroutine = coroutine;
        this.promise = promise;
        this.promise.onCancel(this::cancel); // cancelling a task's promise cancels the task (asyncio)
    }

    /**
     * Thread-safe. The task's id, unique within its loop, in spawn order.
     *
     * @return the id
     */
    public long id() {
        return id;
    }

    /**
     * Thread-safe. The name given at spawn.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Loop thread only. The current state.
     *
     * @return the state
     */
    public TaskState state() {
        loopThread.check("Task.state");
        return state;
    }

    /**
     * Loop thread only. The task's result: awaiting a task is awaiting this promise.
     *
     * @return the promise completed when the task ends (value, failure or cancellation)
     */
    public Promise<T> promise() {
        loopThread.check("Task.promise");
        return promise;
    }

    /**
     * Loop thread only. How many times the coroutine has been resumed.
     *
     * @return the number of steps run so far
     */
    public long steps() {
        loopThread.check("Task.steps");
        return steps;
    }

    /**
     * Loop thread only. Requests cancellation, delivered at the task's next marked point as a {@link
     * CancellationException} through {@link Coroutine#resumeCancelled}. A waiting task is unparked at once (its listener
     * removed, its timer cancelled, the promise it awaited cancelled if nobody else waits for it) and goes to the ready
     * queue to receive it. Cancelling the task's {@link #promise()} cancels the task.
     *
     * @return true if the request was recorded, false if the task is already done
     * @throws IllegalStateException off the loop thread
     */
    public boolean cancel() {
        loopThread.check("Task.cancel");
        if (state == TaskState.DONE) {
            return false;
        }
        cancelRequested = true;
        if (state == TaskState.WAITING) {
            unpark();
            makeReady();
        }
        return true;
    }

    /**
     * Loop thread only. Whether cancellation has been requested.
     *
     * @return true after {@link #cancel()} succeeded
     */
    public boolean isCancelRequested() {
        loopThread.check("Task.isCancelRequested");
        return cancelRequested;
    }

    /**
     * Loop thread only. What the task waits for, as shown in snapshots.
     *
     * @return e.g. {@code "promise of task t3 \"fetch\""}, {@code "timer at +12 ms"}, or {@code ""} when not waiting
     */
    public String waitReason() {
        loopThread.check("Task.waitReason");
        if (awaited != null) {
            return awaited.description();
        }
        if (sleepTimer != null) {
            long inMillis = (sleepTimer.deadlineNanos - core.clock.nanoTime()) / 1_000_000;
            return "timer at +" + inMillis + " ms";
        }
        return "";
    }

    @Override
    public String toString() {
        return "t" + id + " \"" + name + "\"";
    }

    // ---- loop-internal ----------------------------------------------------------------------------------------

    /** The one place a task's state changes: checks {@link TaskState#canMoveTo} and keeps the loop's sets in step. */
    private void transitionTo(TaskState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("illegal task transition " + state + " → " + next + " for " + this);
        }
        TaskState previous = state;
        state = next;
        if (previous == TaskState.WAITING) {
            core.waiting.remove(this);
        }
        if (next == TaskState.WAITING) {
            core.waiting.add(this);
        }
        if (core.trace != null) traceTransition(previous, next);
    }

    /** Records a transition in the trace journal: what a waiting task waits on, how a finished one ended. */
    private void traceTransition(TaskState previous, TaskState next) {
        String on = next != TaskState.WAITING ? null : awaited != null ? awaited.description() : "sleep";
        core.trace.onTask(id, name, previous.ordinal(), next.ordinal(), on, outcome);
    }

    /** NEW → READY, at spawn. */
    void start() {
        makeReady();
    }

    TaskState stateUnchecked() {
        return state;
    }

    /**
     * Runs the coroutine until its next marked point (the only place task code runs). Awaiting an already completed
     * promise continues at once, up to the loop's cooperative budget of steps per turn; past it the task yields.
     */
    void run() {
        if (state != TaskState.READY) {
            return; // cancelled while in the ready queue, and already finished by close()
        }
        transitionTo(TaskState.RUNNING);
        int budget = core.budget;
        while (true) {
            Step<T> step;
            steps++;
            CancellationException delivered = null;
            try {
                if (cancelRequested && !cancelDelivered) {
                    cancelDelivered = true;
                    delivered = new CancellationException("task " + this + " was cancelled");
                    step = coroutine.resumeCancelled(delivered);
                } else {
                    step = coroutine.resume();
                }
            } catch (CancellationException e) {
                finish(null, e, true);
                return;
            } catch (Throwable t) {
                if (delivered != null && t != delivered) {
                    t.addSuppressed(
                            delivered); // a clean-up that failed: its failure wins, the cancellation rides along
                }
                finish(null, t, false);
                return;
            }
            if (cancelDelivered) {
                // Cancellation is final: a coroutine that ignores it still ends cancelled at this marked point.
                finish(null, new CancellationException("task " + this + " was cancelled"), true);
                return;
            }
            if (step == null) {
                finish(null, new NullPointerException("coroutine of " + this + " returned a null step"), false);
                return;
            }
            if (step instanceof Step.Done<T> done) {
                finish(done.value(), null, false);
                return;
            }
            if (cancelRequested) {
                makeReady(); // cancelled itself during this step: deliver at once, next turn
                return;
            }
            if (step instanceof Step.Await<T> await) {
                Promise<?> p = await.promise();
                if (p.core() != core) {
                    finish(null, new IllegalStateException(this + " awaited a promise of another loop"), false);
                    return;
                }
                if (!p.isDone()) {
                    awaited = p;
                    transitionTo(TaskState.WAITING);
                    p.onComplete(wakeListener);
                    return;
                }
                if (--budget > 0) {
                    continue; // already complete: resume at once, within budget (Tokio's cooperative budget)
                }
                makeReady();
                return;
            }
            if (step instanceof Step.Sleep<T> sleep) {
                transitionToSleep(sleep.durationNanos());
                return;
            }
            makeReady(); // Step.Yield
            return;
        }
    }

    private void transitionToSleep(long durationNanos) {
        sleepTimer = core.addTimer(durationNanos, this::onSleepOver);
        transitionTo(TaskState.WAITING);
    }

    private void onAwaitedDone(Promise<?> p) {
        if (state == TaskState.WAITING && awaited == p) {
            awaited = null;
            makeReady();
        }
    }

    private void onSleepOver() {
        if (state == TaskState.WAITING && sleepTimer != null) {
            sleepTimer = null;
            makeReady();
        }
    }

    private void makeReady() {
        transitionTo(TaskState.READY);
        core.ready.add(readyEntry);
    }

    /**
     * Drops whatever the waiting task is registered on: its listener, its timer. An awaited promise nobody else waits
     * for is cancelled, so its producer releases what it holds (asyncio cancels the task's {@code _fut_waiter}).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void unpark() {
        if (awaited != null) {
            Promise p = awaited;
            awaited = null;
            p.removeListener(wakeListener);
            if (p.listenerCount() == 0 && !p.isDone()) {
                p.cancel();
            }
        }
        if (sleepTimer != null) {
            core.timers.remove(sleepTimer);
            sleepTimer = null;
        }
    }

    /** Ends the task from outside its coroutine (loop close): no more steps run. */
    void abandon(CancellationException reason) {
        if (state == TaskState.DONE) {
            return;
        }
        unpark();
        if (state == TaskState.READY) {
            core.ready.remove(readyEntry);
        }
        finish(null, reason, true);
    }

    private void finish(T value, Throwable failure, boolean cancelled) {
        outcome = cancelled ? 2 : failure != null ? 1 : 0;
        unpark();
        transitionTo(TaskState.DONE);
        try {
            coroutine.onExit(failure); // the state machine's finally: exactly once, before the promise completes
        } catch (Throwable cleanup) {
            if (core.isClosed()) {
                core.failures.report("onExit while the loop closed", toString(), cleanup);
            } else {
                if (failure != null && failure != cleanup) {
                    cleanup.addSuppressed(failure);
                }
                value = null;
                failure = cleanup;
                cancelled = cleanup instanceof CancellationException;
            }
        }
        if (cancelled) {
            promise.fail(failure instanceof CancellationException ? failure : new CancellationException(toString()));
        } else if (failure != null) {
            boolean observed = promise.listenerCount() > 0;
            promise.fail(failure);
            if (!observed) {
                core.failures.unobservedTaskFailure(this, failure);
            }
        } else {
            promise.complete(value);
        }
    }
}
