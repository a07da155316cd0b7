package dev.yieldloop.demo.io;

import java.util.List;

/**
 * {@code sequential}: one blocking client downloads the URLs one after another, the article's {@code requests} loop.
 * Its wall time is about N × delay: the baseline every other strategy is measured against.
 */
public final class SequentialStrategy implements IoStrategy {

    /** Creates the strategy. */
    public SequentialStrategy() {}

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public int concurrency(IoSettings settings, int downloads) {
        return 1;
    }

    @Override
    public void run(List<HttpUrl> urls, IoSettings settings, DownloadLog log) {
        try (BlockingHttpClient client = new BlockingHttpClient()) {
            for (int i = 0; i < urls.size(); i++) {
                try {
                    log.succeeded(i, client.get(urls.get(i), settings.timeout().toNanos()));
                } catch (Exception e) {
                    log.failed(i, e);
                }
            }
        }
    }
}
