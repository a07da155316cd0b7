package dev.yieldloop;

/**
 * The one funnel for failures the loop cannot hand to anyone else (asyncio's {@code call_exception_handler}): a timer
 * callback, listener, inbox callback or I/O handler that threw, and a task failure nobody was waiting for. Each goes to
 * the loop's {@link ExceptionHandler}; a handler that throws is itself logged, and nothing escapes, so user code never
 * kills the loop thread.
 *
 * <p>Logs under the logger name {@code dev.yieldloop.EventLoop}, so logging is configured by the loop's name.
 *
 * <p>Threading: loop thread only.
 */
final class FailureReporter {

    /** The loop's logger, by the name users configure. */
    static final System.Logger LOG = System.getLogger("dev.yieldloop.EventLoop");

    private ExceptionHandler handler = FailureReporter::logError;

    /** Replaces the handler; null restores the default, which logs a warning through {@link System.Logger}. */
    void setHandler(ExceptionHandler replacement) {
        this.handler = replacement == null ? FailureReporter::logError : replacement;
    }

    /**
     * Reports one failure; never throws.
     *
     * @param where the phase or callback that failed
     * @param task the task involved, as {@code t12 "name"}, or null
     * @param error the failure
     */
    void report(String where, String task, Throwable error) {
        ExceptionHandler.ErrorReport report = new ExceptionHandler.ErrorReport(where, task, error);
        try {
            handler.handle(report);
        } catch (Throwable broken) {
            String text = "exception handler failed while handling an error in " + where;
            try {
                text = "exception handler failed while handling: " + report; // an error's toString() may throw too
                broken.addSuppressed(error);
            } catch (Throwable ignored) {
                // self-suppression or a broken toString(): still reported below
            }
            LoopLog.log(LOG, System.Logger.Level.ERROR, text, broken);
        }
    }

    /** A task failed and no listener was waiting for its promise. */
    void unobservedTaskFailure(Task<?> task, Throwable failure) {
        report("task (nobody awaited it)", task.toString(), failure);
    }

    private static void logError(ExceptionHandler.ErrorReport report) {
        LoopLog.log(LOG, System.Logger.Level.WARNING, report.toString(), report.error());
    }
}
