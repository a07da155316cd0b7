package dev.yieldloop.demo.strategy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code threads}: a fixed pool of platform threads, each with a session of its own, takes the items from a shared
 * counter: the article's {@code ThreadPoolExecutor(max_workers=5)}, with {@code threading.local()} sessions.
 *
 * <p>On a waiting workload the operating system switches threads whenever one blocks, so the wall time is about ⌈N /
 * T⌉ × delay. On a computing workload Java parts from the article: Python's GIL lets one thread run bytecode at a
 * time, so its thread pool gains nothing on CPU work; a JVM runs its threads on every core at once, so this strategy
 * scales with the cores like the process pool, without start-up cost.
 */
public final class ThreadPoolStrategy implements Strategy {

    /** Creates the strategy. */
    public ThreadPoolStrategy() {}

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public int concurrency(StrategySettings settings, int items) {
        return Math.min(settings.threads(), Math.max(1, items));
    }

    @Override
    public <R> void run(Workload<R> workload, StrategySettings settings) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = r -> new Thread(r, workload.name() + "-" + threadNumber.incrementAndGet());
        int workers = concurrency(settings, workload.size());
        ExecutorService pool = Executors.newFixedThreadPool(workers, factory);
        try {
            for (int t = 0; t < workers; t++) {
                pool.execute(() -> runUntilDone(workload, next));
            }
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("thread pool did not finish");
            }
        }
    }

    /** One worker: a session of its own, items from the shared counter until none are left. */
    private static <R> void runUntilDone(Workload<R> workload, AtomicInteger next) {
        try (Workload.Session<R> session = workload.openSession()) {
            for (int i = next.getAndIncrement(); i < workload.size(); i = next.getAndIncrement()) {
                workload.runAndRecord(session, i);
            }
        }
    }
}
