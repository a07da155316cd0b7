package dev.yieldloop.trace;

/**
 * The phases of one loop iteration, in the order they run (the diagram in {@link dev.yieldloop.EventLoop}; libuv's
 * loop phases). The trace journal records the end of each.
 */
public enum LoopPhase {
    /** Phases 1–2: compute the timeout and block in {@code select}: the only place the loop waits. */
    SELECT,
    /** Phase 3: dispatch ready I/O keys to their handlers. */
    IO,
    /** Phase 4: fire the due timers. */
    TIMERS,
    /** Phase 5: drain the inbox of work submitted by other threads. */
    INBOX,
    /** Phase 6: run the tasks and callbacks that were ready: the only place task code runs. */
    RUN;

    private static final LoopPhase[] VALUES = values();

    /**
     * Thread-safe. The phase with the given ordinal.
     *
     * @param ordinal 0 to 4
     * @return the phase
     * @throws ArrayIndexOutOfBoundsException if {@code ordinal} is out of range
     */
    public static LoopPhase of(int ordinal) {
        return VALUES[ordinal];
    }
}
