package dev.yieldloop.demo.io;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code threads}: a fixed pool of platform threads, each with its own blocking client, takes the URLs from a shared
 * queue: the article's {@code ThreadPoolExecutor(max_workers=5)}. The operating system switches threads whenever one
 * blocks; the wall time is about ⌈N / T⌉ × delay.
 */
public final class ThreadPoolStrategy implements IoStrategy {

    /** Creates the strategy. */
    public ThreadPoolStrategy() {}

    @Override
    public String name() {
        return "threads";
    }

    @Override
    public int concurrency(IoSettings settings, int downloads) {
        return Math.min(settings.threads(), Math.max(1, downloads));
    }

    @Override
    public void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory factory = r -> new Thread(r, "download-" + threadNumber.incrementAndGet());
        ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), factory);
        try {
            for (int t = 0; t < settings.threads(); t++) {
                pool.execute(() -> downloadUntilDone(urls, settings, log, next));
            }
        } finally {
            pool.shutdown();
            if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("thread pool did not finish");
            }
        }
    }

    /** One worker: a client of its own, URLs from the shared counter until none are left. */
    static void downloadUntilDone(List<HttpUrl> urls, IoSettings settings, DownloadLog log, AtomicInteger next) {
        try (BlockingHttpClient client = new BlockingHttpClient()) {
            for (int i = next.getAndIncrement(); i < urls.size(); i = next.getAndIncrement()) {
                try {
                    log.succeeded(i, client.get(urls.get(i), settings.timeout().toNanos()));
                } catch (Exception e) {
                    log.failed(i, e);
                }
            }
        }
    }
}
