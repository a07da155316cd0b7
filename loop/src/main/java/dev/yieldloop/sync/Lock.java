package dev.yieldloop.sync;

import dev.yieldloop.EventLoop;
import dev.yieldloop.Promise;
import java.util.Objects;

/**
 * A loop-confined mutual-exclusion lock: a {@link Semaphore} of one permit, with waiters woken in FIFO order
 * (asyncio's {@code Lock}; Tokio's {@code Mutex} without the guarded value).
 *
 * <p>On one loop thread no two tasks ever run at once, so a lock is only needed to keep a section exclusive
 * <em>across</em> marked points, e.g. two writes of one message that must not interleave with another task's.
 * Everything {@link Semaphore} says about fairness, cancelled waiters and cancellation after the hand-over holds here;
 * wait reasons read {@code lock 'name' (0/1 free, 2 ahead)}.
 *
 * <p>The lock has no owner (as in asyncio): any task may release it, and releasing it when it is not held throws.
 *
 * <p>Threading: loop thread only. Every method, the constructor included, fails fast with {@link
 * IllegalStateException} off the loop thread.
 */
public final class Lock {

    private final EventLoop loop;
    private final Semaphore permit;

    /**
     * Loop thread only. An unlocked lock.
     *
     * @param loop the loop whose tasks use it
     * @param description what the lock guards, shown in wait reasons, e.g. {@code "log file"}
     * @throws IllegalStateException off the loop thread
     */
    public Lock(EventLoop loop, String description) {
        this.loop = Objects.requireNonNull(loop, "loop");
        loop.checkInLoop("new Lock");
        this.permit = new Semaphore(loop, 1, description, "lock");
    }

    /**
     * Loop thread only. Takes the lock, waiting in FIFO order while another holds it (asyncio's {@code acquire}).
     *
     * @return a promise that succeeds once the caller holds the lock; cancelling it while pending removes the waiter
     * @throws IllegalStateException off the loop thread
     */
    public Promise<Void> acquire() {
        loop.checkInLoop("Lock.acquire");
        return permit.acquire();
    }

    /**
     * Loop thread only. Takes the lock if it is free, without waiting.
     *
     * @return true if the caller now holds the lock, false if it is held (the caller is not queued)
     * @throws IllegalStateException off the loop thread
     */
    public boolean tryAcquire() {
        loop.checkInLoop("Lock.tryAcquire");
        return permit.tryAcquire();
    }

    /**
     * Loop thread only. Releases the lock: the first waiter still pending gets it, or else it becomes free.
     *
     * @throws IllegalStateException if the lock is not held (asyncio raises {@code RuntimeError}), or off the loop
     *     thread
     */
    public void release() {
        loop.checkInLoop("Lock.release");
        permit.release();
    }

    /**
     * Loop thread only. Whether someone holds the lock (asyncio's {@code locked()}).
     *
     * @return true while held
     * @throws IllegalStateException off the loop thread
     */
    public boolean isLocked() {
        loop.checkInLoop("Lock.isLocked");
        return permit.available() == 0;
    }

    /**
     * Loop thread only. How many acquirers are queued.
     *
     * @return pending acquire promises
     * @throws IllegalStateException off the loop thread
     */
    public int waiters() {
        loop.checkInLoop("Lock.waiters");
        return permit.waiters();
    }

    /**
     * Thread-safe. What the lock guards, as given at creation.
     *
     * @return the description
     */
    public String description() {
        return permit.description();
    }

    /**
     * The state as last seen; it makes no thread check, and is exact only on the loop thread.
     *
     * @return e.g. {@code lock 'log file' (0/1 free, 2 waiting)}
     */
    @Override
    public String toString() {
        return permit.toString();
    }
}
