package dev.yieldloop.demo.io;

/**
 * One download as a process job, the process-job form of {@link Downloads}. The argument is {@link
 * UrlJob#argument(HttpUrl, long)}; the result is {@code [status, body bytes, body CRC-32]} as three longs, so the loop
 * records it like any other strategy's download.
 *
 * <p>Each worker process keeps one {@link BlockingHttpClient} for all its jobs, so it reuses its kept-alive connection:
 * the article's {@code io_mp.py} gives each process one {@code requests.Session} through the pool's initializer for the
 * same reason.
 *
 * <p>Threading: {@link #compute} runs on a worker process's main thread, one job at a time.
 */
public final class DownloadJob extends UrlJob {

    /** The worker process's client: one per process, used by one job at a time. */
    private static BlockingHttpClient client;

    /** Created by the worker for every job. */
    public DownloadJob() {}

    /**
     * The download's outcome from the job's result.
     *
     * @param result {@code [status, body bytes, body CRC-32]}
     * @return the outcome
     * @throws IllegalArgumentException if the result does not hold three longs
     */
    static HttpResult toResult(long[] result) {
        if (result.length != 3) {
            throw new IllegalArgumentException("a download result is 3 longs, got " + result.length);
        }
        return new HttpResult((int) result[0], result[1], result[2]);
    }

    @Override
    protected long[] fetch(HttpUrl url, long timeoutNanos) throws Exception {
        synchronized (DownloadJob.class) {
            if (client == null) {
                client = new BlockingHttpClient();
            }
            HttpResult r = client.get(url, timeoutNanos);
            return new long[] {r.status(), r.bodyBytes(), r.crc32()};
        }
    }
}
