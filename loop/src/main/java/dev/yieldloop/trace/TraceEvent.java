package dev.yieldloop.trace;

/**
 * One entry of a {@link TraceSnapshot}: what happened, to whom, and when on the loop's clock.
 *
 * <p>The meaning of {@code subject}, {@code value} and {@code label} depends on the {@link Kind}:
 *
 * <table>
 *   <caption>Fields per kind</caption>
 *   <tr><th>kind</th><th>subject</th><th>value</th><th>label</th></tr>
 *   <tr><td>{@code TASK_*}</td><td>task id</td><td>0</td><td>task name; for {@code TASK_WAITING} what the task
 *       waits on (a promise's description or {@code "sleep"})</td></tr>
 *   <tr><td>{@code ITERATION_START}</td><td>iteration number</td><td>0</td><td>{@code ""}</td></tr>
 *   <tr><td>{@code PHASE_END}</td><td>{@link LoopPhase} ordinal</td><td>work done in the phase (I/O events, timers
 *       fired, inbox items, entries run; 0 for select)</td><td>{@code ""}</td></tr>
 *   <tr><td>{@code JOB_*}</td><td>job id</td><td>worker process id</td><td>job class name</td></tr>
 * </table>
 *
 * @param nanos when, on the loop's {@link dev.yieldloop.NanoClock}, in nanoseconds
 * @param kind what happened
 * @param subject the task, iteration, phase or job it happened to
 * @param value a number depending on the kind
 * @param label a description depending on the kind, never null
 */
public record TraceEvent(long nanos, Kind kind, long subject, long value, String label) {

    /** What a journal entry records. */
    public enum Kind {
        /** A task was spawned and put in the ready queue (NEW → READY). */
        TASK_SPAWNED,
        /** A task entered the ready queue (woken, yielded, or out of budget). */
        TASK_READY,
        /** A task's coroutine started a step on the loop thread. */
        TASK_RUNNING,
        /** A task parked in the waiting set; the label says on what. */
        TASK_WAITING,
        /** A task finished with a value. */
        TASK_DONE_VALUE,
        /** A task finished with a failure. */
        TASK_DONE_FAILED,
        /** A task finished cancelled. */
        TASK_DONE_CANCELLED,
        /** An iteration began (before phase 1). */
        ITERATION_START,
        /** A phase of the current iteration ended (select and run always; I/O, timers and inbox when they did work). */
        PHASE_END,
        /** The process pool sent a job to a worker. */
        JOB_DISPATCHED,
        /** A worker answered a job with a result. */
        JOB_DONE,
        /** A worker answered a job with a failure. */
        JOB_FAILED;

        private static final Kind[] VALUES = values();

        /**
         * Thread-safe. The kind with the given ordinal.
         *
         * @param ordinal the ordinal
         * @return the kind
         * @throws ArrayIndexOutOfBoundsException if out of range
         */
        public static Kind of(int ordinal) {
            return VALUES[ordinal];
        }

        /**
         * Thread-safe. Whether this kind ends a task.
         *
         * @return true for the three {@code TASK_DONE_*} kinds
         */
        public boolean endsTask() {
            return this == TASK_DONE_VALUE || this == TASK_DONE_FAILED || this == TASK_DONE_CANCELLED;
        }
    }
}
