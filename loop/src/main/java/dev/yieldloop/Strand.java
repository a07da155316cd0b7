package dev.yieldloop;

/**
 * Where a straight-line body's stack lives between its marked points: a JDK continuation ({@link ContinuationStrand}) or
 * a thread of its own ({@link BatonStrand}). {@link AsyncCoroutine} drives it.
 *
 * <p>Threading: {@link #resume()} is called by the loop thread; {@link #suspend()} by the body while it runs. Exactly one
 * of the two runs at any time.
 */
interface Strand {

    /** Loop side: runs the body until it calls {@link #suspend()} or returns. */
    void resume();

    /**
     * Body side: gives the loop thread back until the next {@link #resume()}.
     *
     * @throws IllegalStateException if the body cannot be suspended here (a pinned continuation), naming the reason
     */
    void suspend();

    /**
     * The thread that runs the body, for the watchdog's stack report.
     *
     * @return the body's thread, or null when the body runs on the loop thread itself
     */
    Thread bodyThread();
}
