package dev.yieldloop.demo.report;

/**
 * The cost of one strategy's run: wall time, peak live threads and peak heap of this JVM, measured the same way for
 * every strategy of every workload.
 *
 * @param wallNanos wall-clock time, in nanoseconds
 * @param peakThreads peak live threads during the run
 * @param peakHeapBytes largest sampled heap use during the run, in bytes
 */
public record Measurement(long wallNanos, int peakThreads, long peakHeapBytes) {

    /** Work to measure. */
    @FunctionalInterface
    public interface Action {
        /**
         * Does the work.
         *
         * @throws Exception if the work breaks
         */
        void run() throws Exception;
    }

    /**
     * Runs {@code action} on the calling thread after a garbage collection (so heap peaks start from a common floor),
     * measuring it with a {@link ResourceSampler}.
     *
     * @param action the work
     * @return its measurement
     * @throws Exception whatever {@code action} throws
     */
    public static Measurement of(Action action) throws Exception {
        System.gc();
        ResourceSampler sampler = new ResourceSampler();
        sampler.start();
        long start = System.nanoTime();
        try {
            action.run();
        } finally {
            sampler.stop();
        }
        long wall = System.nanoTime() - start;
        return new Measurement(wall, sampler.peakThreads(), sampler.peakHeapBytes());
    }
}
