package dev.yieldloop.demo.io;

import dev.yieldloop.process.Codec;
import dev.yieldloop.process.ProcessJob;

/**
 * A {@link ProcessJob} that fetches one URL within a timeout and answers with longs: the shape of every download the
 * demo sends to worker processes. The argument is the text {@code "<timeout in nanoseconds> <url>"} (UTF-8, made by
 * {@link #argument(HttpUrl, long)}); the result is whatever longs the subclass reports ({@link Codec#LONGS}).
 *
 * <p>Threading: {@link #compute} runs on a worker process's main thread, one job at a time.
 */
public abstract class UrlJob implements ProcessJob<String, long[]> {

    /** For subclasses, which the worker creates by their public no-argument constructor. */
    protected UrlJob() {}

    /**
     * The job's argument for one download.
     *
     * @param url what to fetch
     * @param timeoutNanos the download's deadline, in nanoseconds
     * @return the argument text
     */
    public static String argument(HttpUrl url, long timeoutNanos) {
        return timeoutNanos + " " + url;
    }

    @Override
    public final Codec<String> argumentCodec() {
        return Codec.UTF8;
    }

    @Override
    public final Codec<long[]> resultCodec() {
        return Codec.LONGS;
    }

    /**
     * Parses the argument and fetches its URL.
     *
     * @param argument {@code "<timeout in nanoseconds> <url>"}
     * @return what {@link #fetch} reports
     * @throws IllegalArgumentException if the argument is malformed
     * @throws Exception whatever {@link #fetch} throws
     */
    @Override
    public final long[] compute(String argument) throws Exception {
        int space = argument.indexOf(' ');
        if (space < 1) {
            throw new IllegalArgumentException("expected '<timeout nanos> <url>', got " + argument);
        }
        long timeoutNanos = Long.parseLong(argument.substring(0, space));
        return fetch(HttpUrl.parse(argument.substring(space + 1)), timeoutNanos);
    }

    /**
     * Fetches {@code url} on the calling thread.
     *
     * @param url what to fetch
     * @param timeoutNanos the download's deadline, in nanoseconds
     * @return the result, as longs
     * @throws Exception if the download fails or times out
     */
    protected abstract long[] fetch(HttpUrl url, long timeoutNanos) throws Exception;
}
