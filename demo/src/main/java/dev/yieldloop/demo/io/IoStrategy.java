package dev.yieldloop.demo.io;

import java.util.List;

/**
 * One way to make the IO-bound workload's downloads: the demo runs each strategy on the same URLs and compares wall
 * time, threads, memory and checksum. One implementation per file (STYLE habit 14: one contract test covers them all).
 */
public interface IoStrategy {

    /**
     * The name used on the command line, in the table and in the JSON file.
     *
     * @return e.g. {@code event-loop}
     */
    String name();

    /**
     * Why this strategy cannot run on this JVM, or null when it can.
     *
     * @return a sentence, or null
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * How many downloads this strategy has in flight at once, for the ideal bound delay × ⌈N / concurrency⌉.
     *
     * @param settings the run's settings
     * @param downloads how many downloads the run makes
     * @return at least 1
     */
    int concurrency(IoSettings settings, int downloads);

    /**
     * Downloads every URL once, recording each outcome (success or failure, never neither) before returning.
     *
     * @param urls the URLs, by index
     * @param settings threads, limits, deadlines
     * @param log where outcomes go
     * @throws Exception if the strategy itself breaks (a download's failure is recorded, not thrown)
     */
    void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) throws Exception;
}
