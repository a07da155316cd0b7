package dev.yieldloop.process;

import static dev.yieldloop.process.PoolTesting.options;
import static dev.yieldloop.process.PoolTesting.runUntil;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.testing.LoopLeakCheck;
import dev.yieldloop.trace.ChromeTrace;
import dev.yieldloop.trace.TraceEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journal records each job's dispatch and answer with the worker's pid; the export gives each worker a track. */
class ProcessPoolTraceTest {

    @RegisterExtension
    final LoopLeakCheck leaks = new LoopLeakCheck();

    @Test
    void jobsAreJournalledWithTheirWorkerPid() throws Exception {
        EventLoop loop = leaks.newLoop(LoopOptions.defaults().withTrace(100_000));
        List<Long> pids;
        try (ProcessPool pool = ProcessPool.start(loop, options(2))) {
            runUntil(loop, () -> pool.ready().isDone(), Duration.ofSeconds(20));
            List<Promise<Long>> results = new ArrayList<>();
            for (long n = 1; n <= 4; n++) {
                results.add(pool.submit(TestJobs.SumOfSquares.class, n));
            }
            results.add(pool.submit(TestJobs.Throws.class, 1L));
            runUntil(loop, () -> results.stream().allMatch(Promise::isDone), Duration.ofSeconds(20));
            pids = pool.workerPids();
        }
        List<TraceEvent> events = loop.journal().orElseThrow().snapshot().events();
        List<TraceEvent> dispatched = events.stream()
                .filter(e -> e.kind() == TraceEvent.Kind.JOB_DISPATCHED)
                .toList();
        assertThat(dispatched).hasSize(5);
        assertThat(dispatched).extracting(TraceEvent::value).allMatch(pids::contains);
        assertThat(dispatched).extracting(TraceEvent::label).contains(TestJobs.SumOfSquares.class.getName());
        assertThat(events.stream().filter(e -> e.kind() == TraceEvent.Kind.JOB_DONE))
                .hasSize(4);
        assertThat(events.stream().filter(e -> e.kind() == TraceEvent.Kind.JOB_FAILED))
                .singleElement()
                .satisfies(e -> assertThat(e.label()).isEqualTo(TestJobs.Throws.class.getName()));
        String json = ChromeTrace.toJson(loop.journal().orElseThrow().snapshot(), "pool");
        for (long pid : pids) {
            assertThat(json).contains("\"worker pid " + pid + "\"");
        }
        assertThat(json).contains("\"job 1 TestJobs$SumOfSquares\"");
    }
}
