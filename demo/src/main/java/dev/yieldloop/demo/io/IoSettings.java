package dev.yieldloop.demo.io;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * How the IO-bound strategies run.
 *
 * @param threads worker threads of the {@code threads} strategy (the article's 5)
 * @param processes worker processes of the {@code process-pool} strategy
 * @param limit most downloads in flight on the event loop, or 0 for no limit
 * @param timeout each download's deadline, from its start to its last body byte
 * @param snapshotOut when set, the event-loop strategy prints a loop snapshot there when half its downloads have finished
 *     (the tour's view of the ready queue and the waiting set); null for none
 */
public record IoSettings(int threads, int processes, int limit, Duration timeout, PrintWriter snapshotOut) {

    /**
     * Validates the settings.
     *
     * @throws IllegalArgumentException if {@code threads < 1}, {@code processes < 1}, {@code limit < 0} or the timeout is not positive
     * @param threads see the record component
     * @param processes see the record component
     * @param limit see the record component
     * @param timeout see the record component
     * @param snapshotOut see the record component
     */
    public IoSettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be >= 1, got " + processes);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }
}
