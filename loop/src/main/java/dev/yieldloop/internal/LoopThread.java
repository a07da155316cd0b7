package dev.yieldloop.internal;

/**
 * The confinement guard of one event loop: which thread is the loop thread right now, and the fail-fast check that
 * every loop-only method makes (asyncio's {@code _check_thread}, Netty's {@code inEventLoop()}). Tasks, promises, timers
 * and registrations hold this guard instead of the loop itself, so they can check where they are called from without
 * reaching into the loop.
 *
 * <p>The loop thread is the thread driving the loop (inside {@code run()}, {@code runOnce()}, {@code close()}), else the
 * one that drove or created it last; a straight-line body holding the baton is the loop thread while it runs.
 *
 * <p>Threading: {@link #check(String)}, {@link #isCurrent()} and {@link #owner()} are thread-safe (the owner is a
 * volatile field). {@link #moveTo(Thread)} is called only by the thread that holds the loop's driving lock, or by the
 * loop thread when it hands the baton to a body and takes it back.
 */
public final class LoopThread {

    private final String loopName;
    private volatile Thread owner;

    /**
     * A guard whose loop thread is {@code owner} until {@link #moveTo(Thread)} says otherwise.
     *
     * @param loopName the loop's name, for messages
     * @param owner the first loop thread (the thread creating the loop)
     */
    public LoopThread(String loopName, Thread owner) {
        this.loopName = loopName;
        this.owner = owner;
    }

    /**
     * Thread-safe. Fails fast unless called on the loop thread.
     *
     * @param op the operation, named in the message
     * @throws IllegalStateException off the loop thread, with a message naming both threads and the rule
     */
    public void check(String op) {
        Thread loopThread = owner;
        if (Thread.currentThread() != loopThread) {
            throw new IllegalStateException(op + " must be called on the loop thread (" + loopThread.getName()
                    + "), not on " + Thread.currentThread().getName() + "; other threads use execute() or submit()");
        }
    }

    /**
     * Thread-safe. Whether the calling thread is the loop thread.
     *
     * @return true on the loop thread
     */
    public boolean isCurrent() {
        return Thread.currentThread() == owner;
    }

    /**
     * Thread-safe. The current loop thread.
     *
     * @return the thread the checks accept now
     */
    public Thread owner() {
        return owner;
    }

    /**
     * Makes {@code thread} the loop thread. Called only by the thread taking over the loop (under the loop's driving
     * lock) or by the loop thread handing the baton to a body and back.
     *
     * @param thread the new loop thread
     */
    public void moveTo(Thread thread) {
        owner = thread;
    }

    @Override
    public String toString() {
        return "loop thread of \"" + loopName + "\": " + owner.getName();
    }
}
