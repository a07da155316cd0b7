/**
 * Loop-confined synchronisation between tasks of one {@link dev.yieldloop.EventLoop}: {@link
 * dev.yieldloop.sync.Semaphore}, {@link dev.yieldloop.sync.Lock}, bounded {@link dev.yieldloop.sync.Queue}, {@link
 * dev.yieldloop.sync.Event}, and {@link dev.yieldloop.sync.TaskScope} for structured concurrency.
 *
 * <h2>Vocabulary</h2>
 *
 * <ul>
 *   <li><b>waiter</b>: a pending promise handed out by an operation that may wait ({@code acquire}, {@code put},
 *       {@code take}, {@code await}, {@code join}); a task waits by returning {@code Step.await(promise)}.
 *   <li><b>hand-over</b>: waking a waiter by completing its promise with what it waited for (a permit, room, an item),
 *       so that nobody arriving later can take it first.
 *   <li><b>try-variant</b>: the non-waiting form of an operation ({@code tryAcquire}, {@code tryPut}, {@code
 *       tryTake}); it returns false or null instead of a promise and never queues (STYLE habit 9).
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * <p>Everything here is confined to the loop thread: no locks, no atomics, no memory barriers, because only one
 * thread ever touches it. Every method says "Loop thread only." and fails fast with {@link
 * java.lang.IllegalStateException} elsewhere, except the few marked "Thread-safe." (descriptions and capacities fixed
 * at creation). Other threads reach a primitive through {@link dev.yieldloop.EventLoop#execute}, e.g. {@code
 * loop.execute(event::set)}. These are not {@code java.util.concurrent} types: a thread that blocks on one would
 * block the loop.
 *
 * <h2>Invariants</h2>
 *
 * <ul>
 *   <li><b>FIFO.</b> Waiters of one kind are served in the order they started waiting; a newcomer never overtakes a
 *       waiter (a permit or item is handed over, not put back for a race).
 *   <li><b>A cancelled waiter leaves no trace.</b> Cancelling a pending waiter's promise (which cancelling the task
 *       that awaits it does, when nobody else listens) removes it at once through {@link
 *       dev.yieldloop.Promise#onCancel}, in O(1): it takes no permit, receives no item, and a withdrawn put enqueues
 *       nothing. Queues of waiters are insertion-ordered hash sets, so removal never scans.
 *   <li><b>State before wake-up.</b> A primitive brings its own state up to date before it completes a waiter's
 *       promise, because promise listeners run inline and may call back into it.
 *   <li><b>Waiting is visible.</b> Every waiter's promise is described for {@link dev.yieldloop.EventLoop#snapshot()},
 *       so a parked task reads e.g. {@code WAITING t7 "fetch 7" on semaphore 'downloads' (0/50 free, 3 ahead)} or
 *       {@code on queue 'jobs' take (0/100 full, 0 ahead)}. The figures are those of the moment the waiter was queued.
 * </ul>
 *
 * <p>One limit comes from the task model, not from these types: a task cancelled after its waiter's promise succeeded
 * but before it ran again receives the cancellation in place of the result, so it must release a permit (or keep an
 * item) it was handed in its {@code resumeCancelled}. {@link dev.yieldloop.sync.Semaphore} and {@link
 * dev.yieldloop.sync.Queue} describe it.
 *
 * <h2>Where the ideas come from</h2>
 *
 * <p>asyncio's {@code Semaphore}/{@code BoundedSemaphore}, {@code Lock}, {@code Queue} and {@code Event} (names,
 * semantics, the error on over-release); Trio's nursery and its design rule that only calls which may wait return
 * something to wait on; Tokio's fair {@code Semaphore} and bounded {@code mpsc} channel (FIFO hand-over); asyncio's
 * {@code TaskGroup} (a cancelled child is not a failure) and Java's {@code StructuredTaskScope} for {@link
 * dev.yieldloop.sync.TaskScope}.
 */
package dev.yieldloop.sync;
