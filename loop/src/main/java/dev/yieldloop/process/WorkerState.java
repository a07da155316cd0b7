package dev.yieldloop.process;

/**
 * The states of a {@link Worker}, and the only changes between them the pool may make (the same checked-transition
 * shape as {@link dev.yieldloop.TaskState}, after Tokio's {@code transition_to_*}).
 *
 * <pre>
 * STARTING ─HELLO→ IDLE ─job→ BUSY ─result/failure→ IDLE
 *     └──────────────┴─────────┴─process exited→ EXITED ─last bytes read→ DEAD
 *     └──────────────┴─────────┴─pool closed→ DEAD
 * </pre>
 *
 * <p>{@link #EXITED} is the short time between the pool learning that the process is gone and the pool judging that
 * exit: the worker's socket may still hold a last answer (which completes its job) or a truncated frame, and both are
 * read first. An exited worker takes no new job. {@link #DEAD} is final: a slot whose worker died gets a new {@link
 * Worker}, which starts again at {@link #STARTING}.
 *
 * <p>Threading: immutable, thread-safe.
 */
enum WorkerState {
    /** Launched, not yet connected: the pool waits for its HELLO. */
    STARTING,
    /** Connected and free: the pool may give it a job. */
    IDLE,
    /** Connected and running one job. */
    BUSY,
    /** The process has exited; the pool reads what its socket still holds before judging the exit. */
    EXITED,
    /** The process has exited and the pool has judged its exit. */
    DEAD;

    /**
     * Tells whether a worker may change from this state to {@code next}.
     *
     * @param next the proposed next state
     * @return true when the diagram above allows {@code this → next}
     */
    boolean canMoveTo(WorkerState next) {
        return switch (this) {
            case STARTING -> next == IDLE || next == EXITED || next == DEAD;
            case IDLE -> next == BUSY || next == EXITED || next == DEAD;
            case BUSY -> next == IDLE || next == EXITED || next == DEAD;
            case EXITED -> next == DEAD;
            case DEAD -> false;
        };
    }
}
