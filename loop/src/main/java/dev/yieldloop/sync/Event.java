package dev.yieldloop.sync;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * A loop-confined flag that tasks can wait for: {@link #set()} wakes every task waiting in {@link #await()}, and while
 * it stays set, waiting completes at once (asyncio's {@code Event}; Trio's {@code Event}, which cannot be cleared).
 *
 * <pre>{@code
 * Event ready = new Event(loop, "server ready");
 * // in a coroutine:
 * return Step.await(ready.await());   // marked point: parks until someone calls ready.set()
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li>{@link #set()} completes the promise of every current waiter, in the order they started waiting, and leaves
 *       the event set; a second {@link #set()} does nothing.
 *   <li>{@link #clear()} makes later {@link #await()} calls wait again; it does not affect waiters that {@link
 *       #set()} already woke.
 *   <li>A waiter whose promise is cancelled (e.g. its task is cancelled) is removed at once, in O(1).
 * </ul>
 *
 * <p>The promises returned by {@link #await()} use {@link Promise#onCancel(Runnable)} to leave the set of waiters: do
 * not replace that hook.
 *
 * <p>Threading: loop thread only. Every method, the constructor included, fails fast with {@link
 * IllegalStateException} off the loop thread; another thread sets an event through {@code loop.execute(event::set)}.
 */
public final class Event {

    private final EventLoop loop;
    private final String description;
    private boolean set;
    /** Pending await promises in arrival order. Invariant: non-empty ⇒ {@code !set}. */
    private final LinkedHashSet<Promise<Void>> waiters = new LinkedHashSet<>();

    /**
     * Loop thread only. An event that is not set.
     *
     * @param loop the loop whose tasks use it
     * @param description what the event means, shown in wait reasons, e.g. {@code "server ready"}
     * @throws IllegalStateException off the loop thread
     */
    public Event(EventLoop loop, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        loop.checkInLoop("new Event");
        this.description = Objects.requireNonNull(description, "description");
    }

    /**
     * Loop thread only. Sets the event and wakes every waiter, in FIFO order (asyncio's {@code set}). Their tasks go
     * to the ready queue; no task code runs inside this call, only promise listeners.
     *
     * @throws IllegalStateException off the loop thread
     */
    public void set() {
        loop.checkInLoop("Event.set");
        if (set) {
            return;
        }
        set = true;
        List<Promise<Void>> woken = new ArrayList<>(waiters);
        waiters.clear(); // before any listener runs: one that clears and waits again joins a fresh set
        for (Promise<Void> p : woken) {
            p.complete(null);
        }
    }

    /**
     * Loop thread only. Clears the event, so that later {@link #await()} calls wait (asyncio's {@code clear}).
     *
     * @throws IllegalStateException off the loop thread
     */
    public void clear() {
        loop.checkInLoop("Event.clear");
        set = false;
    }

    /**
     * Loop thread only. Whether the event is set (asyncio's {@code is_set}).
     *
     * @return true between a {@link #set()} and the next {@link #clear()}
     * @throws IllegalStateException off the loop thread
     */
    public boolean isSet() {
        loop.checkInLoop("Event.isSet");
        return set;
    }

    /**
     * Loop thread only. Waits until the event is set (asyncio's {@code wait}; named after {@link
     * java.util.concurrent.CountDownLatch#await()} because {@link Object#wait()} is taken).
     *
     * @return a promise already succeeded if the event is set; otherwise pending, described for snapshots as {@code
     *     event 'server ready' (not set)}, succeeding at the next {@link #set()}. Cancelling it while pending removes
     *     the waiter.
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> await() {
        loop.checkInLoop("Event.await");
        if (set) {
            Promise<Void> p = loop.newPromise("event '" + description + "' (set)");
            p.complete(null);
            return p;
        }
        Promise<Void> p = loop.newPromise("event '" + description + "' (not set)");
        waiters.add(p);
        p.onCancel(() -> waiters.remove(p));
        return p;
    }

    /**
     * Loop thread only. How many tasks (or other listeners) wait for the event.
     *
     * @return pending await promises; 0 while the event is set
     * @throws IllegalStateException off the loop thread
     */
    public int waiters() {
        loop.checkInLoop("Event.waiters");
        return waiters.size();
    }

    /**
     * Thread-safe. What the event means, as given at creation.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The state as last seen; it makes no thread check, and is exact only on the loop thread.
     *
     * @return e.g. {@code event 'server ready' (not set, 2 waiting)}
     */
    @Override
    public String toString() {
        return "event '" + description + "' (" + (set ? "set" : "not set") + ", " + waiters.size() + " waiting)";
    }
}
