package dev.yieldloop.demo.strategy;

/**
 * What a workload's outcomes add up to once a strategy has run it: the figures of one row of the results table.
 *
 * <p>Threading: thread-safe; read after the run.
 */
public interface Tally {

    /**
     * Items that succeeded (a download with a 2xx status, a sum computed).
     *
     * @return a count
     */
    long ok();

    /**
     * Items that failed or never finished.
     *
     * @return a count
     */
    long errors();

    /**
     * A digest of every item's result in item order, equal across strategies exactly when they computed the same thing.
     *
     * @return hex digits
     */
    String checksum();

    /**
     * The first error, for the report.
     *
     * @return e.g. {@code /page/3: java.net.ConnectException: Connection refused}, or null when there was none
     */
    String firstError();
}
