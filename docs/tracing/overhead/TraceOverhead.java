package bench;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/** Cost of the trace journal on a yield-heavy loop: one task yielding YIELDS times per invocation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3)
public class TraceOverhead {
    static final int YIELDS = 10_000;

    @Param({"0", "65536"})
    int traceCapacity;

    EventLoop loop;

    @Setup
    public void setUp() {
        loop = new EventLoop(LoopOptions.defaults().withSlowStepThreshold(Duration.ZERO).withTrace(traceCapacity));
    }

    @TearDown
    public void tearDown() {
        loop.close();
    }

    @Benchmark
    @OperationsPerInvocation(YIELDS)
    public long yieldStep() {
        int[] left = {YIELDS};
        Task<Long> t = loop.spawn("yielder", () -> --left[0] > 0 ? Step.yieldNow() : Step.done(1L));
        while (!t.promise().isDone()) {
            loop.runNow();
        }
        return t.promise().result();
    }
}
