package dev.yieldloop.trace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.testing.LoopLeakCheck;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Chrome Trace Event export parses back as JSON of the format, and the loop track's spans nest without overlap. */
class ChromeTraceTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    /** One "X" event of the export. */
    record Span(long pid, long tid, String name, BigDecimal ts, BigDecimal end) {}

    @Test
    void theLoopTrackNestsTaskStepsInPhasesInIterationsAndNothingOverlaps() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withTrace(10_000).withName("traced"));
        List<Promise<Object>> sleeps = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            sleeps.add(loop.spawn("sleeper \"" + i + "\"", new dev.yieldloop.Coroutine<Object>() {
                        int step;

                        @Override
                        public Step<Object> resume() {
                            return switch (step++) {
                                case 0 -> Step.sleep(Duration.ofMillis(10 + n));
                                case 1 -> Step.yieldNow();
                                default -> Step.done(n);
                            };
                        }
                    })
                    .promise());
        }
        Promise<List<Object>> all = Promise.all(loop, sleeps);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!all.isDone() && System.nanoTime() < deadline) {
            loop.runOnce();
        }
        assertThat(all.isSucceeded()).isTrue();

        String json = ChromeTrace.toJson(loop.journal().orElseThrow().snapshot(), "traced");
        @SuppressWarnings("unchecked")
        Map<String, Object> doc = (Map<String, Object>) MiniJson.parse(json);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> events = (List<Map<String, Object>>) doc.get("traceEvents");
        assertThat(events).isNotEmpty();
        for (Map<String, Object> e : events) {
            assertThat(e).containsKeys("ph", "pid", "tid", "name");
            assertThat((String) e.get("ph")).isIn("X", "i", "M");
            if (!"M".equals(e.get("ph"))) {
                assertThat(e.get("ts")).isInstanceOf(BigDecimal.class);
                assertThat(((BigDecimal) e.get("ts")).signum()).isGreaterThanOrEqualTo(0);
            }
            if ("X".equals(e.get("ph"))) {
                assertThat(((BigDecimal) e.get("dur")).signum()).isGreaterThanOrEqualTo(0);
            }
        }
        List<Span> spans = spans(events);
        List<Span> loopTrack = spans.stream()
                .filter(s -> s.pid() == ChromeTrace.LOOP_PID && s.tid() == ChromeTrace.LOOP_TID)
                .toList();
        assertThat(loopTrack).extracting(Span::name).contains("iteration", "select", "timers", "run");
        assertThat(loopTrack).extracting(Span::name).anyMatch(n -> n.startsWith("t1 sleeper"));
        assertNestedWithoutOverlap(loopTrack);

        // Each task has its own track with ready, running and waiting spans, and its name from spawn.
        for (long id = 1; id <= 5; id++) {
            long tid = ChromeTrace.TASK_TID_BASE + id;
            List<String> names =
                    spans.stream().filter(s -> s.tid() == tid).map(Span::name).toList();
            assertThat(names).contains("ready", "running", "waiting: sleep");
            assertNoOverlap(spans.stream().filter(s -> s.tid() == tid).toList());
        }
        assertThat(events).anySatisfy(e -> {
            assertThat(e.get("ph")).isEqualTo("M");
            assertThat(e.get("tid")).isEqualTo(new BigDecimal(ChromeTrace.TASK_TID_BASE + 1));
            @SuppressWarnings("unchecked")
            Map<String, Object> args = (Map<String, Object>) e.get("args");
            assertThat(args.get("name")).isEqualTo("task t1 \"sleeper \"0\"\"");
        });
        assertThat(events)
                .filteredOn(e -> "i".equals(e.get("ph")))
                .extracting(e -> e.get("name"))
                .containsOnly("done: value")
                .hasSize(5);
    }

    static List<Span> spans(List<Map<String, Object>> events) {
        List<Span> spans = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if ("X".equals(e.get("ph"))) {
                BigDecimal ts = (BigDecimal) e.get("ts");
                spans.add(new Span(
                        ((BigDecimal) e.get("pid")).longValueExact(),
                        ((BigDecimal) e.get("tid")).longValueExact(),
                        (String) e.get("name"),
                        ts,
                        ts.add((BigDecimal) e.get("dur"))));
            }
        }
        return spans;
    }

    /** Sorted by start (longest first on ties), each span lies inside the enclosing open one or after it ends. */
    static void assertNestedWithoutOverlap(List<Span> track) {
        List<Span> sorted = new ArrayList<>(track);
        sorted.sort(Comparator.comparing(Span::ts).thenComparing(Span::end, Comparator.reverseOrder()));
        List<Span> open = new ArrayList<>();
        for (Span s : sorted) {
            while (!open.isEmpty() && open.get(open.size() - 1).end().compareTo(s.ts()) <= 0) {
                open.remove(open.size() - 1);
            }
            if (!open.isEmpty()) {
                Span parent = open.get(open.size() - 1);
                assertThat(s.end().compareTo(parent.end()))
                        .as("%s must end inside %s", s, parent)
                        .isLessThanOrEqualTo(0);
            }
            open.add(s);
        }
    }

    static void assertNoOverlap(List<Span> track) {
        List<Span> sorted = new ArrayList<>(track);
        sorted.sort(Comparator.comparing(Span::ts));
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i).ts())
                    .as("%s starts after %s", sorted.get(i), sorted.get(i - 1))
                    .isGreaterThanOrEqualTo(sorted.get(i - 1).end());
        }
    }
}
