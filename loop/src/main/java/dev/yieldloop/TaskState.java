package dev.yieldloop;

/**
 * The states of a {@link Task} (see docs/tasks.md).
 *
 * <pre>
 *  NEW ─spawn→ READY ─picked→ RUNNING ─await/sleep/IO→ WAITING ─woken or cancel()→ READY
 *                │               │  └─yield→ READY                      │
 *                │               └─return/throw/cancelled→ DONE         │
 *                │                  (value | failure | cancelled)       │
 *                └─────── loop close() ──→ DONE (cancelled) ←── close() ┘
 * </pre>
 *
 * <p>The diagram draws every change the code makes. {@link #canMoveTo} also allows {@link #NEW} → {@link #DONE}, which
 * no code path uses: {@code spawn} queues a task before anything else can reach it.
 */
public enum TaskState {
    /** Created, not yet in the ready queue. */
    NEW,
    /** In the ready queue: will run during a later pass of the loop. */
    READY,
    /** Its coroutine is running on the loop thread right now. */
    RUNNING,
    /** Parked in the waiting set until a promise completes or a timer fires. */
    WAITING,
    /** Finished: its promise holds a value, a failure or a cancellation. */
    DONE;

    /**
     * Tells whether the task model allows a change from this state to {@code next}.
     *
     * @param next the proposed next state
     * @return true when the diagram above allows {@code this → next}
     */
    public boolean canMoveTo(TaskState next) {
        return switch (this) {
            case NEW -> next == READY || next == DONE;
            case READY -> next == RUNNING || next == DONE;
            case RUNNING -> next == READY || next == WAITING || next == DONE;
            case WAITING -> next == READY || next == DONE;
            case DONE -> false;
        };
    }
}
