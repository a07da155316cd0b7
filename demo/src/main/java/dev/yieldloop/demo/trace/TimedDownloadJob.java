package dev.yieldloop.demo.trace;

import dev.yieldloop.demo.io.HttpUrl;
import dev.yieldloop.process.Codec;
import dev.yieldloop.process.ProcessJob;

/**
 * A traced download in a worker process: the argument is {@code "<timeout ms> <url>"}, the result is {@code {status,
 * body bytes, CRC-32, request sent, first byte, done}}, the last three in nanoseconds since the job began in the worker
 * (offsets, since each process has its own clock origin).
 */
public final class TimedDownloadJob implements ProcessJob<String, long[]> {

    /** Created by the worker. */
    public TimedDownloadJob() {}

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
            throw new IllegalArgumentException("expected '<timeout ms> <url>', got " + argument);
        }
        int timeoutMillis = Integer.parseInt(argument.substring(0, space));
        TimedDownload d = TimedDownload.get(HttpUrl.parse(argument.substring(space + 1)), timeoutMillis);
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
