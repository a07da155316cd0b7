package dev.yieldloop;

/**
 * Receives every failure the loop cannot hand to anyone else: a task failure nobody was waiting for, a listener or
 * callback that threw, an I/O handler that threw (asyncio's {@code call_exception_handler}: one funnel for all).
 *
 * <p>Threading: called on the loop thread. A handler that throws is itself reported through {@link System.Logger} and
 * the loop keeps running.
 */
@FunctionalInterface
public interface ExceptionHandler {

    /**
     * Handles one failure.
     *
     * @param report what failed, where, and with what
     */
    void handle(ErrorReport report);

    /**
     * One failure, with its context.
     *
     * @param where the phase or callback that failed, e.g. {@code "task"}, {@code "timer callback"}
     * @param task the task involved, as {@code t12 "name"}, or null when none
     * @param error the failure
     */
    record ErrorReport(String where, String task, Throwable error) {
        @Override
        public String toString() {
            return (task == null ? where : where + " " + task) + " failed: " + error;
        }
    }
}
