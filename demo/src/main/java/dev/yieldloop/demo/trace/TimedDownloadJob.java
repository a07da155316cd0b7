package dev.yieldloop.demo.trace;

import dev.yieldloop.demo.io.HttpUrl;
import dev.yieldloop.demo.io.UrlJob;
import java.util.concurrent.TimeUnit;

/**
 * A traced download in a worker process: the argument is {@link UrlJob#argument(HttpUrl, long)}, the result is {@code
 * {status, body bytes, CRC-32, request sent, first byte, done}}, the last three in nanoseconds since the job began in
 * the worker (offsets, since each process has its own clock origin).
 *
 * <p>Threading: {@link #compute} runs on a worker process's main thread, one job at a time.
 */
public final class TimedDownloadJob extends UrlJob {

    /** Created by the worker. */
    public TimedDownloadJob() {}

    /** A {@link TimedDownload} whose connect and read timeouts are {@code timeoutNanos} in whole milliseconds. */
    @Override
    protected long[] fetch(HttpUrl url, long timeoutNanos) throws Exception {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
        TimedDownload d = TimedDownload.get(url, timeoutMillis);
        return new long[] {
            d.result().status(),
            d.result().bodyBytes(),
            d.result().crc32(),
            d.sentNanos() - d.startNanos(),
            d.firstByteNanos() - d.startNanos(),
            d.doneNanos() - d.startNanos()
        };
    }
}
