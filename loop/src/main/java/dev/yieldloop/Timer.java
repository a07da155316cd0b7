package dev.yieldloop;

import dev.yieldloop.internal.LoopThread;

/**
 * A callback due at a deadline on the loop's clock; the handle returned by {@link EventLoop#scheduleAfter} and {@link
 * EventLoop#scheduleAt}.
 *
 * <p>Timers are ordered by {@code (deadlineNanos, sequence)}: equal deadlines fire in the order they were scheduled
 * (libuv's rule). A cancelled timer is removed from the loop's timer heap at once, in O(log n), and never fires.
 *
 * <p>Threading: loop thread only.
 */
public final class Timer {

    private final LoopThread loopThread;
    private final TimerHeap heap;
    final long deadlineNanos;
    final long sequence;
    final Runnable action;
    /** Position in the timer heap, or -1 when not scheduled (fired or cancelled). Maintained by {@link TimerHeap}. */
    int heapIndex = -1;

    Timer(LoopThread loopThread, TimerHeap heap, long deadlineNanos, long sequence, Runnable action) {
        this.loopThread = loopThread;
        this.heap = heap;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
        this.action = action;
    }

    /**
     * Loop thread only. The deadline.
     *
     * @return when the timer is due, in nanoseconds of the loop's clock
     * @throws IllegalStateException off the loop thread
     */
    public long deadlineNanos() {
        loopThread.check("Timer.deadlineNanos");
        return deadlineNanos;
    }

    /**
     * Loop thread only. Whether the timer is still waiting to fire.
     *
     * @return true until it fires or is cancelled
     */
    public boolean isPending() {
        loopThread.check("Timer.isPending");
        return heapIndex >= 0;
    }

    /**
     * Loop thread only. Cancels the timer; it will not fire. Cancelling a fired or cancelled timer does nothing.
     *
     * @return true if this call removed a pending timer
     * @throws IllegalStateException off the loop thread
     */
    public boolean cancel() {
        loopThread.check("Timer.cancel");
        return heap.remove(this);
    }

    @Override
    public String toString() {
        return "Timer[due=" + deadlineNanos + "ns, seq=" + sequence + "]";
    }
}
