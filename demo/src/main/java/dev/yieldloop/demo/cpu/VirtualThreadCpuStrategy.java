package dev.yieldloop.demo.cpu;

import dev.yieldloop.demo.VirtualThreads;
import dev.yieldloop.demo.report.Progress;
import java.util.concurrent.ExecutorService;

/**
 * {@code virtual-threads}: one virtual thread per number (JDK 21+). Virtual threads are scheduled on a carrier pool
 * sized to the cores, and a computation never blocks, so each runs to completion on its carrier: the result matches
 * {@code threads}. Virtual threads make waiting cheap, not computing faster.
 */
public final class VirtualThreadCpuStrategy implements CpuStrategy {

    /** Creates the strategy. */
    public VirtualThreadCpuStrategy() {}

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    public String unavailableReason() {
        return VirtualThreads.unavailableReason();
    }

    @Override
    public int parallelism(CpuSettings settings) {
        return CpuStrategy.onCores(Integer.MAX_VALUE);
    }

    @Override
    public long[] run(long[] numbers, CpuSettings settings, Progress progress) throws Exception {
        ExecutorService executor = VirtualThreads.newPerTaskExecutor();
        try {
            return ThreadPoolCpuStrategy.computeAll(executor, numbers, progress);
        } finally {
            executor.shutdownNow();
        }
    }
}
