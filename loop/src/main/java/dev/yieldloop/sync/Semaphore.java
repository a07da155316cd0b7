package dev.yieldloop.sync;

import dev.yieldloop.Coroutine;
import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * A loop-confined counting semaphore: at most {@link #permits()} holders at a time, the rest wait in FIFO order
 * (asyncio's {@code BoundedSemaphore}; Tokio's {@code Semaphore}, which is also fair).
 *
 * <pre>{@code
 * Semaphore downloads = new Semaphore(loop, 50, "downloads");
 * // in a coroutine:
 * acquired = downloads.acquire();
 * return Step.await(acquired);         // marked point: parks while all 50 permits are out
 * // ... later, when done with the resource:
 * downloads.release();
 * }</pre>
 *
 * <h2>Rules</h2>
 *
 * <ul>
 *   <li><b>Fair.</b> {@link #acquire()} completes at once only when a permit is free, which implies nobody is queued
 *       (invariant: waiters present ⇒ no permit free). Otherwise the waiter joins the back of the queue.
 *   <li><b>Hand-over.</b> {@link #release()} gives the permit straight to the first waiter still pending, by completing
 *       its promise, so a newcomer can never overtake a queued waiter. With nobody waiting the permit becomes free.
 *   <li><b>A cancelled waiter is forgotten.</b> When the promise {@link #acquire()} returned is cancelled, for instance
 *       because the task awaiting it is cancelled (which cancels an awaited promise nobody else listens to), the waiter
 *       leaves the queue at once, in O(1), and never consumes a permit.
 *   <li><b>Bounded.</b> Releasing when every permit is already free throws {@link IllegalStateException} (asyncio's
 *       {@code BoundedSemaphore} raises {@code ValueError}): an unmatched release is a bug, and silently growing the
 *       count would lift the limit the semaphore exists for. Permits have no owner, so a release by a task that holds
 *       none while others hold permits is not detected.
 * </ul>
 *
 * <h2>Cancellation after the hand-over</h2>
 *
 * <p>Once its promise has succeeded, the permit belongs to the waiter. If its {@link Task} is cancelled after that
 * but before it runs again, the task receives the cancellation at that marked point instead of the result (the
 * {@link Task} rule) and still holds the permit. A coroutine that can be cancelled there releases it in {@code
 * resumeCancelled} when its acquire promise {@link Promise#isSucceeded() isSucceeded()}. (asyncio's {@code acquire}
 * makes that check itself, inside the task; a primitive that hands out promises cannot make it for its caller.)
 *
 * <p>The promises returned by {@link #acquire()} use {@link Promise#onCancel(Runnable)} to leave the queue: do not
 * replace that hook, and do not complete the promises yourself; cancel one to give up waiting.
 *
 * <p>Threading: loop thread only. Every method, the constructor included, fails fast with {@link
 * IllegalStateException} off the loop thread.
 */
public final class Semaphore {

    private final EventLoop loop;
    /** {@code "semaphore"} or {@code "lock"}, for wait reasons and messages. */
    private final String kind;

    private final String description;
    private final int permits;
    /** Free permits. Invariant: {@code 0 <= available <= permits}, and {@code waiters} non-empty ⇒ 0. */
    private int available;
    /** Pending acquire promises in arrival order; a set, so that a cancelled one leaves in O(1). */
    private final LinkedHashSet<Promise<Void>> waiters = new LinkedHashSet<>();

    /**
     * Loop thread only. A semaphore with {@code permits} free permits.
     *
     * @param loop the loop whose tasks use it
     * @param permits how many holders at most, at least 1 (for a signal with no permits, use {@link Event})
     * @param description what the permits guard, shown in wait reasons, e.g. {@code "downloads"}
     * @throws IllegalArgumentException if {@code permits < 1}
     * @throws IllegalStateException off the loop thread
     */
    public Semaphore(EventLoop loop, int permits, String description) {
        this(loop, permits, description, "semaphore");
    }

    Semaphore(EventLoop loop, int permits, String description, String kind) {
        this.loop = Objects.requireNonNull(loop, "loop");
        loop.checkInLoop("new Semaphore");
        if (permits < 1) {
            throw new IllegalArgumentException(kind + " '" + description + "' needs at least 1 permit, got " + permits);
        }
        this.description = Objects.requireNonNull(description, "description");
        this.kind = kind;
        this.permits = permits;
        this.available = permits;
    }

    /**
     * Loop thread only. Takes a permit, waiting in FIFO order if none is free (asyncio's {@code acquire}).
     *
     * <p>The returned promise is already succeeded when a permit was free. Otherwise it is pending, described for
     * snapshots as e.g. {@code semaphore 'downloads' (0/50 free, 3 ahead)} (the figures of the moment it was queued),
     * and succeeds when a {@link #release()} hands this waiter the permit. Cancelling it while it is pending removes the
     * waiter; it then never takes a permit.
     *
     * @return a promise that succeeds (with null) once the caller holds a permit
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> acquire() {
        loop.checkInLoop("Semaphore.acquire");
        if (available > 0) { // no waiters either (invariant): nobody is overtaken
            available--;
            Promise<Void> p = loop.newPromise(kind + " '" + description + "' acquired");
            p.complete(null);
            return p;
        }
        Promise<Void> p =
                loop.newPromise(kind + " '" + description + "' (0/" + permits + " free, " + waiters.size() + " ahead)");
        waiters.add(p);
        p.onCancel(() -> waiters.remove(p));
        return p;
    }

    /**
     * Loop thread only. Takes a permit if one is free, without waiting (Tokio's {@code try_acquire}, {@link
     * java.util.concurrent.Semaphore#tryAcquire()}).
     *
     * @return true if the caller now holds a permit; false if none was free (the caller holds nothing and is not
     *     queued)
     * @throws IllegalStateException off the loop thread
     */
    public boolean tryAcquire() {
        loop.checkInLoop("Semaphore.tryAcquire");
        if (available > 0) {
            available--;
            return true;
        }
        return false;
    }

    /**
     * Loop thread only. Gives a permit back: to the first waiter still pending, whose promise succeeds (its task is
     * made ready), or else to the free count (asyncio's {@code release}).
     *
     * @throws IllegalStateException if every permit is already free (more releases than acquires), or off the loop
     *     thread
     */
    public void release() {
        loop.checkInLoop("Semaphore.release");
        for (Iterator<Promise<Void>> it = waiters.iterator(); it.hasNext(); ) {
            Promise<Void> next = it.next();
            it.remove();
            if (next.complete(null)) {
                return; // handed over; its listeners ran with the semaphore consistent, and the iterator is not reused
            }
            // completed or cancelled behind our back (its cancel hook was replaced): skip it
        }
        if (available == permits) {
            throw new IllegalStateException(kind + " '" + description + "' released more often than acquired: all "
                    + permits + " permit(s) are already free");
        }
        available++;
    }

    /**
     * Loop thread only. {@code body} as a coroutine that runs holding one permit: asyncio's {@code async with
     * semaphore:}. The returned coroutine first awaits {@link #acquire()} (a marked point), then runs {@code body}'s
     * steps, and releases the permit exactly once when {@code body} ends, whether it returns, throws or is cancelled.
     * It also handles the case the section above describes: a permit handed over just before a cancellation arrived is
     * released, not stranded.
     *
     * <pre>{@code
     * loop.spawn("download " + url, downloads.withPermit(new LoopDownload(loop, url, address, timeout)));
     * }</pre>
     *
     * @param body the work to limit; it must not be resumed by anyone else
     * @param <T> the body's result type
     * @return a new coroutine to spawn as a task
     * @throws IllegalStateException off the loop thread
     */
    public <T> Coroutine<T> withPermit(Coroutine<T> body) {
        loop.checkInLoop("Semaphore.withPermit");
        Objects.requireNonNull(body, "body");
        return new Coroutine<>() {
            private Promise<Void> acquiring;
            private boolean holding;

            @Override
            public Step<T> resume() throws Exception {
                if (!holding) {
                    if (acquiring == null) {
                        acquiring = acquire();
                    }
                    if (!acquiring.isDone()) {
                        return Step.await(acquiring);
                    }
                    acquiring.get(); // rethrows if the acquire was failed or cancelled: then no permit is held
                    holding = true;
                }
                return body.resume();
            }

            @Override
            public Step<T> resumeCancelled(CancellationException cancellation) throws Exception {
                if (!holding) {
                    throw cancellation; // onExit gives back a permit granted just before the cancellation arrived
                }
                return body.resumeCancelled(cancellation);
            }

            /** The {@code finally} of {@code async with}: the permit goes back exactly once, however the task ends. */
            @Override
            public void onExit(Throwable failureOrNull) throws Exception {
                if (holding || (acquiring != null && acquiring.isSucceeded())) {
                    holding = false;
                    release(); // held, or granted and then cancelled before this task ran again
                }
                body.onExit(failureOrNull);
            }

            @Override
            public String toString() {
                return body + " holding " + kind + " '" + description + "'";
            }
        };
    }

    /**
     * Loop thread only. How many permits are free now.
     *
     * @return free permits, between 0 and {@link #permits()}
     * @throws IllegalStateException off the loop thread
     */
    public int available() {
        loop.checkInLoop("Semaphore.available");
        return available;
    }

    /**
     * Loop thread only. How many acquirers are queued.
     *
     * @return pending acquire promises; 0 whenever a permit is free
     * @throws IllegalStateException off the loop thread
     */
    public int waiters() {
        loop.checkInLoop("Semaphore.waiters");
        return waiters.size();
    }

    /**
     * Thread-safe. The number of permits the semaphore was created with.
     *
     * @return the limit on simultaneous holders
     */
    public int permits() {
        return permits;
    }

    /**
     * Thread-safe. What the permits guard, as given at creation.
     *
     * @return the description
     */
    public String description() {
        return description;
    }

    /**
     * The counts as last seen; it makes no thread check, and is exact only on the loop thread.
     *
     * @return e.g. {@code semaphore 'downloads' (3/50 free, 0 waiting)}
     */
    @Override
    public String toString() {
        return kind + " '" + description + "' (" + available + "/" + permits + " free, " + waiters.size() + " waiting)";
    }
}
