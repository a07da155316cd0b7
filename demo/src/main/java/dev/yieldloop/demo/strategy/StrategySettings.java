package dev.yieldloop.demo.strategy;

import java.io.PrintWriter;

/**
 * How the strategies run, whatever the workload.
 *
 * @param threads platform threads of the {@code threads} strategy
 * @param processes worker processes of the {@code process-pool} strategy
 * @param limit most items in flight on the {@code event-loop} strategy, through a {@code Semaphore}, or 0 for no limit
 * @param snapshotOut when set, the {@code event-loop} strategy prints a loop snapshot there when half its items have
 *     finished (the tour's view of the ready queue and the waiting set); null for none
 */
public record StrategySettings(int threads, int processes, int limit, PrintWriter snapshotOut) {

    /**
     * Validates the settings.
     *
     * @param threads see the record component
     * @param processes see the record component
     * @param limit see the record component
     * @param snapshotOut see the record component
     * @throws IllegalArgumentException if {@code threads < 1}, {@code processes < 1} or {@code limit < 0}
     */
    public StrategySettings {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        if (processes < 1) {
            throw new IllegalArgumentException("processes must be >= 1, got " + processes);
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be >= 0, got " + limit);
        }
    }

    /**
     * Settings with no limit and no snapshot.
     *
     * @param threads platform threads of {@code threads}
     * @param processes worker processes of {@code process-pool}
     * @return the settings
     * @throws IllegalArgumentException if either is below 1
     */
    public static StrategySettings of(int threads, int processes) {
        return new StrategySettings(threads, processes, 0, null);
    }
}
