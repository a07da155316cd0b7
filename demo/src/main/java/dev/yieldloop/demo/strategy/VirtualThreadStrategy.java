package dev.yieldloop.demo.strategy;

import dev.yieldloop.demo.VirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code virtual-threads}: one virtual thread per item (JDK 21+), each with a session of its own.
 *
 * <p>On a waiting workload the JDK parks a virtual thread at a blocking socket call and runs another on the same
 * carrier: cooperative scheduling the JDK does for you, at the blocking calls rather than at marked points in your
 * code. On a computing workload the carriers are a pool sized to the cores and a computation never blocks, so each
 * runs to completion on its carrier and the result matches {@code threads}: virtual threads make waiting cheap, not
 * computing faster.
 *
 * <p>On JDK 17 the strategy reports itself unavailable ({@link VirtualThreads}).
 */
public final class VirtualThreadStrategy implements Strategy {

    /** Creates the strategy. */
    public VirtualThreadStrategy() {}

    @Override
    public String name() {
        return "virtual-threads";
    }

    @Override
    public String unavailableReason() {
        return VirtualThreads.unavailableReason();
    }

    @Override
    public int concurrency(StrategySettings settings, int items) {
        return Math.max(1, items);
    }

    @Override
    public <R> void run(Workload<R> workload, StrategySettings settings) throws Exception {
        ExecutorService executor = VirtualThreads.newPerTaskExecutor();
        try {
            for (int i = 0; i < workload.size(); i++) {
                int index = i;
                executor.execute(() -> {
                    try (Workload.Session<R> session = workload.openSession()) {
                        workload.runAndRecord(session, index);
                    }
                });
            }
        } finally {
            executor.shutdown();
            if (!executor.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("virtual threads did not finish");
            }
        }
    }
}
