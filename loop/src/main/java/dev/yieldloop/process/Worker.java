package dev.yieldloop.process;

import dev.yieldloop.Timer;

/**
 * The pool's record of one worker process in one slot: its process, its connection once it has said HELLO, and the
 * job it runs. A slot's worker is replaced by a new {@code Worker} after it dies; a {@code Worker} never comes back.
 *
 * <p>Its state follows {@link WorkerState}'s diagram and changes only through {@link #transitionTo(WorkerState)}, which
 * refuses any other change. Beside the state it records one {@linkplain ExitReason exit reason}, set by whoever first
 * saw why the worker is going away: the pool killing it on purpose (its exit is then no crash), or trouble the pool
 * noticed before the exit (end of stream, protocol error, start timeout), which the crash report names.
 *
 * <p>Threading: loop thread only (fields are read and written by {@link ProcessPool} on its loop).
 */
final class Worker {

    final int slot;
    final Process process;
    final long launchNanos;

    private WorkerState state = WorkerState.STARTING;
    WorkerConnection connection;
    PendingJob<?, ?> job;
    Timer startTimer;
    /** Kills the worker if it closed its socket but does not exit; null until then. */
    Timer exitGraceTimer;
    /** Nanoseconds from launch to HELLO, once connected. */
    long startupNanos = -1;
    /** Why the worker is going away; null while nothing says it is. */
    private ExitReason exitReason;

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

    /**
     * Records trouble the pool saw before the process exited (end of stream, protocol error, start timeout), for the
     * crash report. The first reason recorded wins; a kill by the pool is never overwritten.
     *
     * @param what what went wrong, in a few words
     */
    void recordTrouble(String what) {
        if (exitReason == null) {
            exitReason = new ExitReason(false, what);
        }
    }

    /**
     * Records that the pool itself ends this worker (cancel, deadline, a broken pool, close): its exit then counts as
     * no crash. The caller stops the process.
     *
     * @param why why the pool ends it, in a few words
     */
    void stopByPool(String why) {
        if (exitReason == null || !exitReason.byPool()) {
            exitReason = new ExitReason(true, why);
        }
    }

    /**
     * {@link #stopByPool(String)}, then kills the process at once (SIGKILL).
     *
     * @param why why the pool kills it, in a few words
     */
    void killByPool(String why) {
        stopByPool(why);
        kill();
    }

    /**
     * Why the worker is going away.
     *
     * @return the reason, or null while nothing says it is
     */
    ExitReason exitReason() {
        return exitReason;
    }

    /**
     * Whether the pool killed this worker on purpose, so that its exit is not a crash.
     *
     * @return true after {@link #stopByPool(String)}
     */
    boolean killedByPool() {
        return exitReason != null && exitReason.byPool();
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

    /**
     * Why a worker is going away.
     *
     * @param byPool true when the pool killed it on purpose, false for trouble the pool noticed
     * @param detail what happened, in a few words
     */
    record ExitReason(boolean byPool, String detail) {}

    @Override
    public String toString() {
        return "worker " + slot + " (pid " + process.pid() + ")";
    }
}
