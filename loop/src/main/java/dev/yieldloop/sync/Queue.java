package dev.yieldloop.sync;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Task;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;

/**
 * A loop-confined bounded FIFO queue between tasks, with backpressure: {@link #put(Object)} waits while the queue is
 * full, {@link #take()} waits while it is empty (asyncio's {@code Queue(maxsize)}; Trio's memory channel; Tokio's
 * bounded {@code mpsc} channel, on one thread).
 *
 * <pre>{@code
 * Queue<Job> jobs = new Queue<>(loop, 100, "jobs");
 * // producer coroutine:                     // consumer coroutine:
 * put = jobs.put(job);                       take = jobs.take();
 * return Step.await(put);  // waits if full  return Step.await(take);  // waits if empty; then take.result()
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>FIFO everywhere.</b> Items come out in the order they went in; waiting takers receive items in the order
 *       they started waiting; waiting putters get their items in, and are woken, in the order they started waiting.
 *   <li><b>Hand-over.</b> An item put while a taker waits goes straight to the first pending taker (its promise
 *       succeeds with the item); a take from a full queue moves the first pending putter's item in at the back and
 *       completes its put promise. Invariants: takers waiting ⇒ queue empty; putters waiting ⇒ queue full.
 *   <li><b>A cancelled waiter leaves no trace.</b> A take promise cancelled while pending leaves the queue of takers at
 *       once and never receives an item, so no item is swallowed. A put promise cancelled while pending leaves the queue
 *       of putters and its item is never enqueued. Both removals are O(1).
 *   <li><b>No nulls.</b> Items must be non-null, as in {@code java.util.concurrent.BlockingQueue}, so that {@link
 *       #tryTake()} can return null for "empty".
 * </ul>
 *
 * <h2>Cancellation after the hand-over</h2>
 *
 * <p>A take promise that succeeded holds its item. If the taker's {@link Task} is cancelled after that but before it
 * runs again, the task receives the cancellation instead of the result (the {@link Task} rule): the item is still in
 * the succeeded promise, and a coroutine that must not drop it reads it there in {@code resumeCancelled} (and, say,
 * puts it back with {@link #tryPut(Object)}, at the back). A put promise that succeeded has enqueued its item, even if
 * the putter is cancelled before it runs again.
 *
 * <p>The promises returned by {@link #put(Object)} and {@link #take()} use {@link Promise#onCancel(Runnable)} to
 * leave their queue: do not replace that hook, and do not complete the promises yourself; cancel one to give up.
 *
 * <p>The name is asyncio's; beside {@code java.util.Queue}, import one of the two by its full name.
 *
 * <p>Threading: loop thread only. Every method, the constructor included, fails fast with {@link
 * IllegalStateException} off the loop thread.
 *
 * @param <T> the item type
 */
public final class Queue<T> {

    private final EventLoop loop;
    private final int capacity;
    private final String description;
    /** Invariant: {@code items.size() <= capacity}. */
    private final ArrayDeque<T> items = new ArrayDeque<>();
    /** Pending take promises in arrival order. Invariant: non-empty ⇒ {@code items} empty. */
    private final LinkedHashSet<Promise<T>> takers = new LinkedHashSet<>();
    /** Pending put promises with their items, in arrival order. Invariant: non-empty ⇒ {@code items} full. */
    private final LinkedHashMap<Promise<Void>, T> putters = new LinkedHashMap<>();

    /**
     * Loop thread only. An empty queue holding at most {@code capacity} items.
     *
     * @param loop the loop whose tasks use it
     * @param capacity the most items it holds, at least 1 (asyncio's {@code maxsize}); {@link Integer#MAX_VALUE} for
     *     a queue that is in practice unbounded
     * @param description what the items are, shown in wait reasons, e.g. {@code "jobs"}
     * @throws IllegalArgumentException if {@code capacity < 1}
     * @throws IllegalStateException off the loop thread
     */
    public Queue(EventLoop loop, int capacity, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        loop.checkInLoop("new Queue");
        if (capacity < 1) {
            throw new IllegalArgumentException(
                    "queue '" + description + "' needs a capacity of at least 1, got " + capacity);
        }
        this.description = Objects.requireNonNull(description, "description");
        this.capacity = capacity;
    }

    /**
     * Loop thread only. Adds {@code item} at the back, waiting while the queue is full (asyncio's {@code put}).
     *
     * <p>The returned promise is already succeeded when the item went in at once (to a waiting taker, or into free
     * room). Otherwise it is pending, described for snapshots as e.g. {@code queue 'jobs' put (100/100 full, 2
     * ahead)} (the figures of the moment it was queued), and succeeds once a take made room and the item is in.
     * Cancelling it while pending withdraws the item.
     *
     * @param item the item, not null
     * @return a promise that succeeds (with null) once the item is in the queue or with a taker
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> put(T item) {
        loop.checkInLoop("Queue.put");
        Objects.requireNonNull(item, "item");
        if (offer(item)) {
            Promise<Void> p = loop.newPromise("queue '" + description + "' put");
            p.complete(null);
            return p;
        }
        Promise<Void> p = loop.newPromise("queue '" + description + "' put (" + items.size() + "/" + capacity
                + " full, " + putters.size() + " ahead)");
        putters.put(p, item);
        p.onCancel(() -> putters.remove(p));
        return p;
    }

    /**
     * Loop thread only. Adds {@code item} if that needs no wait: to the first waiting taker, or at the back if there is
     * room (asyncio's {@code put_nowait}, which raises {@code QueueFull} where this returns false).
     *
     * @param item the item, not null
     * @return true if the item went in; false if the queue is full (the item was not added, and nothing is queued)
     * @throws NullPointerException if {@code item} is null
     * @throws IllegalStateException off the loop thread
     */
    public boolean tryPut(T item) {
        loop.checkInLoop("Queue.tryPut");
        Objects.requireNonNull(item, "item");
        return offer(item);
    }

    /**
     * Loop thread only. Removes the item at the front, waiting while the queue is empty (asyncio's {@code get}).
     *
     * <p>The returned promise is already succeeded with the item when there was one. Otherwise it is pending,
     * described for snapshots as e.g. {@code queue 'jobs' take (0/100 full, 1 ahead)}, and succeeds with the item
     * that a later put hands this taker. Cancelling it while pending removes the taker, which then receives nothing.
     *
     * @return a promise of the item
     * @throws IllegalStateException off the loop thread
     */
    public Promise<T> take() {
        loop.checkInLoop("Queue.take");
        T item = poll();
        if (item != null) {
            Promise<T> p = loop.newPromise("queue '" + description + "' take");
            p.complete(item);
            return p;
        }
        Promise<T> p = loop.newPromise(
                "queue '" + description + "' take (0/" + capacity + " full, " + takers.size() + " ahead)");
        takers.add(p);
        p.onCancel(() -> takers.remove(p));
        return p;
    }

    /**
     * Loop thread only. Removes the item at the front if there is one, without waiting (asyncio's {@code
     * get_nowait}, which raises {@code QueueEmpty} where this returns null). A waiting putter's item then moves in at
     * the back.
     *
     * @return the item, or null if the queue is empty
     * @throws IllegalStateException off the loop thread
     */
    public T tryTake() {
        loop.checkInLoop("Queue.tryTake");
        return poll();
    }

    /**
     * Loop thread only. How many items the queue holds (items held by waiting putters not counted).
     *
     * @return between 0 and {@link #capacity()}
     * @throws IllegalStateException off the loop thread
     */
    public int size() {
        loop.checkInLoop("Queue.size");
        return items.size();
    }

    /**
     * Thread-safe. The most items the queue holds.
     *
     * @return the capacity given at creation
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Loop thread only. How many takers wait for an item.
     *
     * @return pending take promises; 0 whenever the queue holds an item
     * @throws IllegalStateException off the loop thread
     */
    public int waitingTakers() {
        loop.checkInLoop("Queue.waitingTakers");
        return takers.size();
    }

    /**
     * Loop thread only. How many putters wait for room.
     *
     * @return pending put promises; 0 whenever the queue has room
     * @throws IllegalStateException off the loop thread
     */
    public int waitingPutters() {
        loop.checkInLoop("Queue.waitingPutters");
        return putters.size();
    }

    /**
     * Thread-safe. What the items are, as given at creation.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The counts as last seen; it makes no thread check, and is exact only on the loop thread.
     *
     * @return e.g. {@code queue 'jobs' (3/100 full, 0 takers, 0 putters waiting)}
     */
    @Override
    public String toString() {
        return "queue '" + description + "' (" + items.size() + "/" + capacity + " full, " + takers.size() + " takers, "
                + putters.size() + " putters waiting)";
    }

    /** Hands {@code item} to the first pending taker, or appends it if there is room; false if full. */
    private boolean offer(T item) {
        for (Iterator<Promise<T>> it = takers.iterator(); it.hasNext(); ) {
            Promise<T> taker = it.next();
            it.remove();
            if (taker.complete(item)) {
                return true; // the iterator is not touched again: the taker's listeners may have re-entered
            }
            // completed or cancelled behind our back (its cancel hook was replaced): skip it
        }
        if (items.size() < capacity) { // putters waiting ⇒ full, so this never overtakes a waiting putter
            items.add(item);
            return true;
        }
        return false;
    }

    /** Removes the front item, if any, and moves the first pending putter's item in behind the others. */
    private T poll() {
        T item = items.poll();
        if (item == null) {
            return null;
        }
        for (Iterator<Map.Entry<Promise<Void>, T>> it = putters.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Promise<Void>, T> entry = it.next();
            Promise<Void> putter = entry.getKey();
            T waitingItem = entry.getValue();
            it.remove();
            if (!putter.isDone()) {
                items.add(waitingItem); // in before the putter's listeners run, so they see it there
                putter.complete(null);
                break; // the iterator is not touched again: the putter's listeners may have re-entered
            }
        }
        return item;
    }
}
