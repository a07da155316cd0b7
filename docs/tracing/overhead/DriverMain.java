// The trial of Driver.java for the loop before the journal (main), which has no LoopOptions.withTrace: run.sh copies
// it to Driver.java and compiles it against main's classes.
import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import java.time.Duration;

/** One trial: a loop whose one task yields `yields` times; returns nanoseconds per yield. */
public final class Driver {
    public static double trial(int yields, int traceCapacity) {
        try (EventLoop loop = new EventLoop(LoopOptions.defaults().withSlowStepThreshold(Duration.ZERO))) {
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
