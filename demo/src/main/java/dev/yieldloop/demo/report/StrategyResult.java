package dev.yieldloop.demo.report;

import java.util.Objects;

/**
 * What one strategy did on one workload: the row of a results table and one element of the {@code results} array of
 * the {@code --json} file.
 *
 * <p>A strategy that cannot run on this machine (virtual threads on JDK 17) is a {@linkplain #skipped(String, String)
 * skipped} result: it carries the reason and no figures.
 *
 * @param strategy the strategy's name, e.g. {@code event-loop}
 * @param skipped true when the strategy did not run here
 * @param reason why it was skipped, or null when it ran
 * @param wallNanos wall-clock time of the run, in nanoseconds
 * @param ok units of work that succeeded (downloads, numbers summed)
 * @param errors units of work that failed
 * @param peakThreads the demo JVM's peak live thread count during the run
 * @param peakHeapBytes the largest heap use sampled during the run, in bytes
 * @param checksum a digest of all results, equal across strategies when they computed the same thing
 * @param firstError the first error's message, or null when there was none
 */
public record StrategyResult(
        String strategy,
        boolean skipped,
        String reason,
        long wallNanos,
        long ok,
        long errors,
        int peakThreads,
        long peakHeapBytes,
        String checksum,
        String firstError) {

    /**
     * Validates the name.
     *
     * @param strategy see the record component
     * @param skipped see the record component
     * @param reason see the record component
     * @param wallNanos see the record component
     * @param ok see the record component
     * @param errors see the record component
     * @param peakThreads see the record component
     * @param peakHeapBytes see the record component
     * @param checksum see the record component
     * @param firstError see the record component
     */
    public StrategyResult {
        Objects.requireNonNull(strategy, "strategy");
    }

    /**
     * A result for a strategy that could not run here.
     *
     * @param strategy the strategy's name
     * @param reason why, in one sentence a user can act on
     * @return the skipped result
     */
    public static StrategyResult skipped(String strategy, String reason) {
        return new StrategyResult(strategy, true, reason, 0, 0, 0, 0, 0, null, null);
    }

    /**
     * The wall time in milliseconds.
     *
     * @return {@link #wallNanos()} / 10^6, rounded down
     */
    public long wallMillis() {
        return wallNanos / 1_000_000;
    }
}
