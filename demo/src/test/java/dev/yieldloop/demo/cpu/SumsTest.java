package dev.yieldloop.demo.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.yieldloop.demo.report.Progress;
import dev.yieldloop.demo.strategy.ProcessPoolStrategy;
import dev.yieldloop.demo.strategy.Strategies;
import dev.yieldloop.demo.strategy.Strategy;
import dev.yieldloop.demo.strategy.StrategySettings;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The CPU-bound workload over every strategy: each computes every number's sum, in order, equal to the closed form. */
@Timeout(60)
class SumsTest {

    /** The sum of i² for i < n in exact arithmetic, (n-1)n(2n-1)/6, reduced modulo 2^64 like the workload. */
    private static long closedForm(long n) {
        java.math.BigInteger b = java.math.BigInteger.valueOf(n);
        return b.subtract(java.math.BigInteger.ONE)
                .multiply(b)
                .multiply(b.shiftLeft(1).subtract(java.math.BigInteger.ONE))
                .divide(java.math.BigInteger.valueOf(6))
                .longValue();
    }

    @Test
    void theWorkloadMatchesTheClosedFormIncludingWrapAround() {
        assertThat(SumOfSquares.compute(0)).isZero();
        assertThat(SumOfSquares.compute(4)).isEqualTo(0 + 1 + 4 + 9);
        long big = 5_000_000; // (n-1)n(2n-1)/6 > 2^64 here: the sum wraps
        assertThat(SumOfSquares.compute(big)).isEqualTo(closedForm(big));
        assertThat(SumOfSquares.continueSum(SumOfSquares.compute(1000), 1000, 3000))
                .isEqualTo(SumOfSquares.compute(3000));
        assertThat(SumOfSquares.numbers(7, 3)).containsExactly(7, 8, 9);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "threads", "virtual-threads", "event-loop", "process-pool"})
    void everyStrategyComputesEverySumInOrder(String name) throws Exception {
        Strategy strategy = Strategies.choose(List.of(name)).get(0);
        assumeThat(strategy.unavailableReason()).as("unavailable here").isNull();
        // one number spans several event-loop slices, so the sliced coroutine is exercised too
        long[] numbers = SumOfSquares.numbers(3 * Sums.SLICE + 5, 6);
        AtomicInteger steps = new AtomicInteger();
        long[] results;
        try (Progress progress = Progress.silent()) {
            Sums sums = new Sums(numbers, progress);
            strategy.run(sums, StrategySettings.of(3, 2));
            assertThat(sums.firstError()).isNull();
            assertThat(sums.ok()).isEqualTo(numbers.length);
            assertThat(sums.checksum()).isEqualTo(SumOfSquares.checksum(sums.results()));
            results = sums.results();
            steps.set((int) progress.done());
        }
        assertThat(results).hasSize(numbers.length);
        for (int i = 0; i < numbers.length; i++) {
            assertThat(results[i]).as("sum below %d", numbers[i]).isEqualTo(closedForm(numbers[i]));
        }
        assertThat(steps.get()).isEqualTo(numbers.length);
    }

    @Test
    void processPoolReportsItsStartUpAndLeavesNoWorker() throws Exception {
        ProcessPoolStrategy strategy = new ProcessPoolStrategy();
        assertThat(strategy.note()).isNull();
        // 20 jobs of ~50 ms each: long enough for both workers to connect before the work is done
        strategy.run(new Sums(SumOfSquares.numbers(100_000_000, 20), Progress.silent()), StrategySettings.of(1, 2));
        assertThat(strategy.note()).matches("process-pool: 2 worker JVMs were ready \\d+ ms after .*");
        assertThat(ProcessHandle.current()
                        .children()
                        .filter(ProcessHandle::isAlive)
                        .filter(p -> p.info().commandLine().orElse("").contains("WorkerMain")))
                .isEmpty();
    }
}
