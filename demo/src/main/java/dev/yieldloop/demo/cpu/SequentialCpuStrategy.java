package dev.yieldloop.demo.cpu;

import dev.yieldloop.demo.report.Progress;

/** {@code sequential}: one number after another on the calling thread, the article's baseline. */
public final class SequentialCpuStrategy implements CpuStrategy {

    /** Creates the strategy. */
    public SequentialCpuStrategy() {}

    @Override
    public String name() {
        return "sequential";
    }

    @Override
    public int parallelism(CpuSettings settings) {
        return 1;
    }

    @Override
    public long[] run(long[] numbers, CpuSettings settings, Progress progress) {
        long[] results = new long[numbers.length];
        for (int i = 0; i < numbers.length; i++) {
            results[i] = SumOfSquares.compute(numbers[i]);
            progress.step();
        }
        return results;
    }
}
