package dev.yieldloop.sync;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;

/**
 * Structured concurrency on the loop: a scope owns the child tasks spawned into it, the first child failure cancels
 * the others, and {@link #join()} completes only when every child is done (asyncio's {@code TaskGroup}, Trio's
 * nursery, Java's {@code StructuredTaskScope.ShutdownOnFailure}).
 *
 * <pre>{@code
 * TaskScope scope = TaskScope.open(loop, "fetch all");
 * for (String url : urls) {
 *     scope.spawn("fetch " + url, new Fetch(url));
 * }
 * return Step.await(scope.join());   // marked point: every child done; fails with the first failure
 * }</pre>
 *
 * <h2>Lifecycle</h2>
 *
 * <pre>
 *  OPEN ──first child failure, cancel(), or join promise cancelled──→ SHUTTING DOWN ──last child done──→ CLOSED
 *    └──────────────────join() requested and no child left───────────────────────────────────────────→ CLOSED
 * </pre>
 *
 * <ul>
 *   <li><b>Spawning</b> is allowed while the scope is OPEN, also after {@link #join()} was requested as long as a child
 *       is still running (a child may spawn a sibling; asyncio allows the same). Spawning into a scope that is shutting
 *       down or closed throws {@link IllegalStateException}.
 *   <li><b>Failure.</b> The first child that fails (ends with an exception other than a {@link
 *       CancellationException}) makes the scope shut down: every other child is cancelled at once (each receives the
 *       cancellation at its next marked point). A child that ends cancelled, whoever cancelled it, is not a failure
 *       (asyncio's rule).
 *   <li><b>Join.</b> {@link #join()} returns the scope's one join promise. It completes when the scope closes: once
 *       every child is done, and join was requested or the scope shut down. It fails with the first failure, every
 *       later one (e.g. a child whose clean-up threw) added to it with {@link Throwable#addSuppressed}; it succeeds
 *       when no child failed, also after {@link #cancel()}.
 *   <li><b>Cancelling the join promise</b> (directly, or by cancelling the task that awaits it, which cancels an awaited
 *       promise nobody else listens to) cancels every child. The promise is then done at once, while the children end
 *       at their next marked point, in the coming pass.
 *   <li><b>No failure is lost.</b> The scope listens to its children, so the loop's exception handler does not hear of
 *       a child failure by itself; the scope reports its failure there instead (as an {@link IllegalStateException}
 *       caused by it) when it closes failed and nobody listens to the join promise. A later {@link #join()} still
 *       delivers it (the same rule as an unobserved task failure).
 * </ul>
 *
 * <p>Unlike asyncio's {@code TaskGroup}, a child failure does not interrupt the task that opened the scope, which this
 * scope does not know: that task learns of it from {@link #join()}.
 *
 * <p>The join promise uses {@link Promise#onCancel(Runnable)} to cancel the children: do not replace that hook, and do
 * not complete the promise yourself.
 *
 * <p>Threading: loop thread only, except {@link #name()}. Every other method fails fast with {@link
 * IllegalStateException} off the loop thread.
 */
public final class TaskScope {

    private enum State {
        OPEN,
        SHUTTING_DOWN,
        CLOSED
    }

    private final EventLoop loop;
    private final String name;
    private final Promise<Void> joined;
    /** Children not yet done, in spawn order. Invariant: {@code state == CLOSED} ⇒ empty. */
    private final Set<Task<?>> children = new LinkedHashSet<>();

    private State state = State.OPEN;
    private boolean joinRequested;
    private boolean cancelled;
    /** The first child failure; later ones are added to it as suppressed. */
    private Throwable failure;

    private TaskScope(EventLoop loop, String name) {
        this.loop = loop;
        this.name = name;
        this.joined = loop.newPromise("task scope '" + name + "' join");
        this.joined.onCancel(this::onJoinCancelled);
    }

    /**
     * Loop thread only. Opens an empty scope (asyncio's {@code async with TaskGroup()}, Trio's {@code
     * open_nursery()}).
     *
     * @param loop the loop the children run on
     * @param name a name for wait reasons and errors, e.g. {@code "fetch all"}
     * @return an OPEN scope with no children
     * @throws IllegalStateException off the loop thread
     */
    public static TaskScope open(EventLoop loop, String name) {
        Objects.requireNonNull(loop, "loop");
        loop.checkInLoop("TaskScope.open");
        return new TaskScope(loop, Objects.requireNonNull(name, "name"));
    }

    /**
     * Loop thread only. Spawns a child task owned by this scope, as {@link EventLoop#spawn(String, Coroutine)} does
     * (asyncio's {@code TaskGroup.create_task}, Trio's {@code start_soon}).
     *
     * @param name the child's name, as shown in snapshots
     * @param coroutine the child's body
     * @param <T> the type of the child's value
     * @return the child task, READY
     * @throws IllegalStateException if the scope is shutting down (a child failed, or it was cancelled) or closed
     *     (joined with no child left), if the loop is closed, or off the loop thread
     */
    public <T> Task<T> spawn(String name, Coroutine<T> coroutine) {
        loop.checkInLoop("TaskScope.spawn");
        if (state != State.OPEN) {
            throw new IllegalStateException("cannot spawn \"" + name + "\" into task scope '" + this.name + "': "
                    + (state == State.CLOSED
                            ? "it is closed"
                            : failure != null
                                    ? "it is shutting down after a child failed with " + failure
                                    : "it was cancelled"));
        }
        Task<T> child = loop.spawn(name, coroutine);
        children.add(child);
        child.promise().onComplete(p -> onChildDone(child, p));
        return child;
    }

    /**
     * Loop thread only. Spawns a child task with a straight-line body, as {@link EventLoop#spawnAsync(String,
     * dev.yieldloop.AsyncBody)} does; otherwise exactly {@link #spawn(String, Coroutine)}: when a sibling fails or the
     * scope is cancelled, the child's pending {@code await} throws the cancellation and its {@code finally} blocks run.
     *
     * @param name the child's name, as shown in snapshots
     * @param body the child's body
     * @param <T> the type of the child's value
     * @return the child task, READY
     * @throws IllegalStateException as for {@link #spawn(String, Coroutine)}
     */
    public <T> Task<T> spawnAsync(String name, dev.yieldloop.AsyncBody<T> body) {
        loop.checkInLoop("TaskScope.spawnAsync");
        return spawn(name, loop.coroutineOf(name, body));
    }

    /**
     * Loop thread only. Requests the scope to close once every child is done, and returns the promise of that
     * (asyncio's end of the {@code async with} block, Trio's nursery exit). Calling it again returns the same promise.
     *
     * <p>The promise is described for snapshots as {@code task scope 'name' join}. Cancelling it cancels every child.
     *
     * @return a promise that succeeds when every child is done and none failed, or fails with the first failure (later
     *     ones suppressed); already complete if the scope is closed
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> join() {
        loop.checkInLoop("TaskScope.join");
        joinRequested = true;
        closeIfDone();
        return joined;
    }

    /**
     * Loop thread only. Cancels every child and shuts the scope down: no more children may be spawned, and the scope
     * closes when the last child is done (Trio's {@code nursery.cancel_scope.cancel()}). Children cancelled this way are
     * not failures, so the join promise succeeds unless a child failed.
     *
     * @return true if the scope was not closed yet, false if it was (nothing to do)
     * @throws IllegalStateException off the loop thread
     */
    public boolean cancel() {
        loop.checkInLoop("TaskScope.cancel");
        if (state == State.CLOSED) {
            return false;
        }
        cancelled = true;
        shutDown();
        closeIfDone();
        return true;
    }

    /**
     * Loop thread only. How many children are not done yet.
     *
     * @return the number of running, ready or waiting children
     * @throws IllegalStateException off the loop thread
     */
    public int activeChildren() {
        loop.checkInLoop("TaskScope.activeChildren");
        return children.size();
    }

    /**
     * Loop thread only. Whether the scope is closed: every child done, and join requested or the scope shut down.
     *
     * @return true once the join promise has completed (or was cancelled) and no child is left
     * @throws IllegalStateException off the loop thread
     */
    public boolean isClosed() {
        loop.checkInLoop("TaskScope.isClosed");
        return state == State.CLOSED;
    }

    /**
     * Loop thread only. Whether the scope was cancelled, by {@link #cancel()} or by cancelling its join promise.
     *
     * @return true after either
     * @throws IllegalStateException off the loop thread
     */
    public boolean isCancelled() {
        loop.checkInLoop("TaskScope.isCancelled");
        return cancelled;
    }

    /**
     * Thread-safe. The name given at {@link #open}.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * The state as last seen; it makes no thread check, and is exact only on the loop thread.
     *
     * @return e.g. {@code task scope 'fetch all' (OPEN, 3 children)}
     */
    @Override
    public String toString() {
        return "task scope '" + name + "' (" + state + ", " + children.size() + " children)";
    }

    // ---- internal ------------------------------------------------------------------------------------------------

    private void onChildDone(Task<?> child, Promise<?> result) {
        children.remove(child);
        if (result.isFailed()) {
            Throwable f = result.failure();
            if (failure == null) {
                failure = f;
                if (state == State.OPEN) {
                    shutDown();
                }
            } else if (f != failure) {
                failure.addSuppressed(f);
            }
        }
        closeIfDone();
    }

    /** OPEN → SHUTTING_DOWN (if still open), then cancels every child still alive. */
    private void shutDown() {
        if (state == State.OPEN) {
            state = State.SHUTTING_DOWN;
        }
        // A copy: cancelling a child cancels what it awaited, whose hooks and listeners run inline.
        for (Task<?> child : new ArrayList<>(children)) {
            child.cancel();
        }
    }

    private void onJoinCancelled() {
        if (state != State.CLOSED) {
            cancelled = true;
            shutDown();
            closeIfDone();
        }
    }

    /** Closes the scope and completes the join promise once no child is left and closing was asked for. */
    private void closeIfDone() {
        if (state == State.CLOSED || !children.isEmpty() || (state == State.OPEN && !joinRequested)) {
            return;
        }
        state = State.CLOSED;
        if (failure == null) {
            joined.complete(null);
            return;
        }
        boolean observed = joined.listenerCount() > 0;
        if (!joined.fail(failure) || !observed) {
            reportUnobserved();
        }
    }

    /**
     * Sends the scope's failure to the loop's exception handler, the one funnel for failures nobody receives. The loop
     * offers no public call for that, so it goes as an inbox callback that throws, which the loop reports.
     */
    private void reportUnobserved() {
        IllegalStateException report = new IllegalStateException(
                "task scope '" + name + "' failed and nobody was joining it: " + failure, failure);
        try {
            loop.execute(() -> {
                throw report;
            });
        } catch (IllegalStateException loopClosed) {
            // the loop is closing: there is no handler left to tell
        }
    }
}
