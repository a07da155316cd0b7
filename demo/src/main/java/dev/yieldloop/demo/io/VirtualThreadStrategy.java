package dev.yieldloop.demo.io;

import dev.yieldloop.demo.VirtualThreads;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code virtual-threads}: one virtual thread per download (JDK 21+), each with its own blocking client. The JDK parks
 * a virtual thread at a blocking socket call and runs another on the same carrier: cooperative scheduling the JDK does
 * for you, at the blocking calls rather than at marked points in your code.
 *
 * <p>On JDK 17 the strategy reports itself unavailable ({@link VirtualThreads}).
 */
public final class VirtualThreadStrategy implements IoStrategy {

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
    public int concurrency(IoSettings settings, int downloads) {
        return Math.max(1, downloads);
    }

    @Override
    public void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) throws Exception {
        ExecutorService executor = VirtualThreads.newPerTaskExecutor();
        try {
            for (int i = 0; i < urls.size(); i++) {
                int index = i;
                executor.execute(() -> {
                    try (BlockingHttpClient client = new BlockingHttpClient()) {
                        log.succeeded(
                                index,
                                client.get(urls.get(index), settings.timeout().toNanos()));
                    } catch (Exception e) {
                        log.failed(index, e);
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
