package dev.yieldloop.demo.cpu;

import dev.yieldloop.process.Codec;
import dev.yieldloop.process.ProcessJob;

/**
 * {@link SumOfSquares#compute(long)} as a {@link ProcessJob}: what the {@code process-pool} strategy sends to worker
 * processes, by class name, with its argument and result as 8-byte big-endian longs (the article's {@code
 * multiprocessing.Pool.map(cpu_bound, numbers)}).
 *
 * <p>Threading: {@link #compute} runs in a worker process.
 */
public final class SumOfSquaresJob implements ProcessJob<Long, Long> {

    /** Created by the worker for every job. */
    public SumOfSquaresJob() {}

    @Override
    public Codec<Long> argumentCodec() {
        return Codec.LONG;
    }

    @Override
    public Codec<Long> resultCodec() {
        return Codec.LONG;
    }

    @Override
    public Long compute(Long n) {
        return SumOfSquares.compute(n);
    }
}
