package dev.yieldloop.process;

/**
 * A worker process died, or broke the wire protocol, while it ran a job: the job's promise fails with this (CPython's
 * {@code BrokenProcessPool} for one job, not the whole pool). The pool replaces the worker.
 */
public final class WorkerCrashedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * A crash report.
     *
     * @param message which worker (slot, pid), which job, and what happened
     * @param exitCode the process's exit code, or -1 if it had not exited (a protocol error)
     */
    public WorkerCrashedException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * The worker's exit code.
     *
     * @return the exit code (e.g. 1 for {@code System.exit(1)}, 137 for SIGKILL), or -1 if unknown
     */
    public int exitCode() {
        return exitCode;
    }
}
