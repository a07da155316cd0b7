package dev.yieldloop.demo.io;

import dev.yieldloop.process.Codec;
import dev.yieldloop.process.ProcessJob;

/**
 * One download as a {@link ProcessJob}, for the {@code process-pool} IO strategy. The argument is the text {@code
 * "<timeout in nanoseconds> <url>"} (UTF-8); the result is {@code [status, body bytes, body CRC-32]} as three longs, so
 * the loop's {@link DownloadLog} checksums it like any other strategy's download.
 *
 * <p>Each worker process keeps one {@link BlockingHttpClient} for all its jobs, so it reuses its kept-alive connection:
 * the article's {@code io_mp.py} gives each process one {@code requests.Session} through the pool's initializer for the
 * same reason.
 *
 * <p>Threading: {@link #compute} runs on a worker process's main thread, one job at a time.
 */
public final class DownloadJob implements ProcessJob<String, long[]> {

    /** The worker process's client: one per process, used by one job at a time. */
    private static BlockingHttpClient client;

    /** Created by the worker for every job. */
    public DownloadJob() {}

    /**
     * The job's argument for one download.
     *
     * @param url what to fetch
     * @param timeoutNanos the download's deadline, in nanoseconds
     * @return the argument text
     */
    static String argument(HttpUrl url, long timeoutNanos) {
        return timeoutNanos + " " + url;
    }

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
    public Codec<String> argumentCodec() {
        return Codec.UTF8;
    }

    @Override
    public Codec<long[]> resultCodec() {
        return Codec.LONGS;
    }

    @Override
    public long[] compute(String argument) throws Exception {
        int space = argument.indexOf(' ');
        if (space < 1) {
            throw new IllegalArgumentException("expected '<timeout nanos> <url>', got " + argument);
        }
        long timeoutNanos = Long.parseLong(argument.substring(0, space));
        HttpUrl url = HttpUrl.parse(argument.substring(space + 1));
        synchronized (DownloadJob.class) {
            if (client == null) {
                client = new BlockingHttpClient();
            }
            HttpResult r = client.get(url, timeoutNanos);
            return new long[] {r.status(), r.bodyBytes(), r.crc32()};
        }
    }
}
