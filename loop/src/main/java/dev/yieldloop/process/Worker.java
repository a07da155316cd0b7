package dev.yieldloop.process;

import dev.yieldloop.Timer;

/**
 * The pool's record of one worker process in one slot: its process, its connection once it has said HELLO, and the
 * job it runs. A slot's worker is replaced by a new {@code Worker} after it dies; a {@code Worker} never comes back.
 *
 * <p>Its state follows {@link WorkerState}'s diagram and changes only through {@link #transitionTo(WorkerState)}, which
 * refuses any other change. Two facts stay beside the state rather than in it, because they hold alongside more than
 * one state: {@code exited} (the process is gone while its last bytes are still read, during which a BUSY worker may
 * still answer and become IDLE, but takes no new job) and {@code killedByPool} (the pool killed it on purpose, from
 * any live state, so its exit is not a crash).
 *
 * <p>Threading: loop thread only (fields are read and written by {@link ProcessPool} on its loop).
 */
final class Worker {

    final int slot;
    final Process process;
    final long launchNanos;

    private WorkerState state = WorkerState.STARTING;
    WorkerConnection connection;
    ProcessPool.PendingJob<?, ?> job;
    Timer startTimer;
    /** Kills the worker if it closed its socket but does not exit; null until then. */
    Timer exitGraceTimer;
    /** Nanoseconds from launch to HELLO, once connected. */
    long startupNanos = -1;
    /** Set as soon as the pool learns the process exited, before its last bytes are read: it takes no new job. */
    boolean exited;
    /** Set when the pool kills the worker on purpose (cancel, deadline, shutdown): its exit is not a crash. */
    boolean killedByPool;
    /** Why the worker is going away, if the pool saw it first (EOF, protocol error, start timeout). */
    String brokenReason;

    Worker(int slot, Process process, long launchNanos) {
        this.slot = slot;
        this.process = process;
        this.launchNanos = launchNanos;
    }

    /** The worker's current state. */
    WorkerState state() {
        return state;
    }

    /**
     * The one place a worker's state changes.
     *
     * @param next the new state
     * @throws IllegalStateException when {@link WorkerState#canMoveTo} does not allow the change; the message names
     *     both states and the worker
     */
    void transitionTo(WorkerState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException("illegal worker transition " + state + " → " + next + " for " + this);
        }
        state = next;
    }

    /** Cancels the worker's timers: it needs none once dead. */
    void cancelTimers() {
        startTimer.cancel();
        if (exitGraceTimer != null) {
            exitGraceTimer.cancel();
        }
    }

    /** Kills the process at once (SIGKILL); its exit arrives later as a loop event. */
    void kill() {
        process.destroyForcibly();
    }

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + process.pid() + ")";
    }
}
