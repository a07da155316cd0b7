package dev.yieldloop.process;

/**
 * The pool has given up: workers crashed more often than {@link ProcessPoolOptions#maxCrashes()} allows (CPython's
 * {@code BrokenProcessPool}). Every queued job fails with this and so does every later submit; close the pool.
 */
public final class ProcessPoolBrokenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A broken-pool report.
     *
     * @param message how many crashes, and the last one
     */
    public ProcessPoolBrokenException(String message) {
        super(message);
    }
}
