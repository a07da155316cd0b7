import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import java.time.Duration;

/** One trial: a loop whose one task yields `yields` times; returns nanoseconds per yield. */
public final class Driver {
    public static double trial(int yields, int traceCapacity) {
        LoopOptions o = LoopOptions.defaults().withSlowStepThreshold(Duration.ZERO).withTrace(Math.abs(traceCapacity));
        if (traceCapacity < 0) {
            o = o.withClock(() -> 42L); // journal on, clock reads free: what the rest of the journal costs
        }
        try (EventLoop loop = new EventLoop(o)) {
            int[] left = {yields};
            Task<Long> t = loop.spawn("yielder", () -> --left[0] > 0 ? Step.yieldNow() : Step.done(1L));
            long start = System.nanoTime();
            while (!t.promise().isDone()) {
                loop.runNow();
            }
            return (System.nanoTime() - start) / (double) yields;
        }
    }
}
