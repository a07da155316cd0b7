package dev.yieldloop.process;

/**
 * The states of a {@link Worker}, and the only changes between them the pool may make (the same checked-transition
 * shape as {@link dev.yieldloop.TaskState}, after Tokio's {@code transition_to_*}).
 *
 * <pre>
 * STARTING ─HELLO→ IDLE ─job→ BUSY ─result/failure→ IDLE
 *     └──────────────┴─────────┴─process exited→ DEAD
 * </pre>
 *
 * <p>{@link #DEAD} is final: a slot whose worker died gets a new {@link Worker}, which starts again at {@link
 * #STARTING}.
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
            case STARTING -> next == IDLE || next == DEAD;
            case IDLE -> next == BUSY || next == DEAD;
            case BUSY -> next == IDLE || next == DEAD;
            case DEAD -> false;
        };
    }
}
