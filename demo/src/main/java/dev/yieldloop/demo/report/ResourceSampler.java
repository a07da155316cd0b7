package dev.yieldloop.demo.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadMXBean;

/**
 * Measures the demo JVM's peak live threads and peak heap use while one strategy runs.
 *
 * <p>Peak threads come from {@link ThreadMXBean#getPeakThreadCount()}, reset at {@link #start()}, so they are exact.
 * Heap use is sampled every {@value #SAMPLE_PERIOD_MILLIS} ms on a daemon thread (its one thread is counted in the peak:
 * every strategy pays it equally), so a peak between samples can be missed.
 *
 * <p>Threading: {@link #start()} and {@link #stop()} from the thread that runs the strategy; not reusable.
 */
public final class ResourceSampler {

    /** Heap sampling period, in milliseconds. */
    public static final long SAMPLE_PERIOD_MILLIS = 5;

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private volatile boolean running;
    private volatile long peakHeapBytes;
    private Thread sampler;

    /** Creates a sampler; call {@link #start()} before the run. */
    public ResourceSampler() {}

    /**
     * Resets the peak thread count and starts sampling heap use.
     *
     * @throws IllegalStateException if already started
     */
    public void start() {
        if (sampler != null) {
            throw new IllegalStateException("sampler already started");
        }
        running = true;
        peakHeapBytes = memory.getHeapMemoryUsage().getUsed();
        sampler = new Thread(this::sample, "resource-sampler");
        sampler.setDaemon(true);
        sampler.start();
        threads.resetPeakThreadCount();
    }

    private void sample() {
        while (running) {
            long used = memory.getHeapMemoryUsage().getUsed();
            if (used > peakHeapBytes) {
                peakHeapBytes = used;
            }
            try {
                Thread.sleep(SAMPLE_PERIOD_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Stops sampling and waits for the sampler thread to end.
     *
     * @throws InterruptedException if interrupted while joining the sampler
     */
    public void stop() throws InterruptedException {
        running = false;
        sampler.interrupt();
        sampler.join();
        long used = memory.getHeapMemoryUsage().getUsed();
        if (used > peakHeapBytes) {
            peakHeapBytes = used;
        }
    }

    /**
     * The peak live thread count of this JVM since {@link #start()}.
     *
     * @return threads
     */
    public int peakThreads() {
        return threads.getPeakThreadCount();
    }

    /**
     * The largest heap use seen since {@link #start()}.
     *
     * @return bytes
     */
    public long peakHeapBytes() {
        return peakHeapBytes;
    }
}
