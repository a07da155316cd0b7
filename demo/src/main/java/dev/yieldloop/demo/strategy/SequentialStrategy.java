package dev.yieldloop.demo.strategy;

/**
 * {@code sequential}: one session on the calling thread runs the items one after another, the article's baseline (its
 * {@code requests} loop, its plain {@code for} over the numbers). A waiting workload takes about N × delay; a computing
 * one takes the sum of its items' times. Every other strategy is measured against it.
 */
public final class SequentialStrategy implements Strategy {

    /** Creates the strategy. */
    public SequentialStrategy() {}

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public int concurrency(StrategySettings settings, int items) {
        return 1;
    }

    @Override
    public <R> void run(Workload<R> workload, StrategySettings settings) {
        try (Workload.Session<R> session = workload.openSession()) {
            for (int i = 0; i < workload.size(); i++) {
                workload.runAndRecord(session, i);
            }
        }
    }
}
