package dev.yieldloop.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yieldloop.EventLoop;
import dev.yieldloop.LoopOptions;
import dev.yieldloop.Promise;
import dev.yieldloop.Step;
import dev.yieldloop.Task;
import dev.yieldloop.testing.FakeClock;
import dev.yieldloop.testing.LoopLeakCheck;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The journal records what the loop did, drops the oldest entries when full, and reads consistently from any thread. */
class TraceJournalTest {

    @RegisterExtension
    final LoopLeakCheck loops = new LoopLeakCheck();

    private final FakeClock clock = new FakeClock();

    @Test
    void theJournalIsOffByDefault() {
        assertThat(loops.newLoop(clock).journal()).isEmpty();
        assertThat(LoopOptions.defaults().traceCapacity()).isZero();
        assertThatThrownBy(() -> LoopOptions.defaults().withTrace(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsEachTransitionWithWhatTheTaskWaitsOnAndHowItEnded() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withTrace(1024));
        long start = clock.nanoTime();
        Promise<String> answer = loop.newPromise("answer from the server");
        Task<String> waiter = loop.spawn("waiter", new dev.yieldloop.Coroutine<>() {
            int step;

            @Override
            public Step<String> resume() {
                return switch (step++) {
                    case 0 -> Step.sleep(Duration.ofMillis(5));
                    case 1 -> Step.await(answer);
                    default -> Step.done(answer.result());
                };
            }
        });
        Task<Void> failing = loop.spawn("failing", () -> {
            throw new IllegalStateException("expected in this test");
        });
        loop.setExceptionHandler(report -> {});
        loop.runNow();
        clock.advance(Duration.ofMillis(5));
        loop.runNow();
        loop.runNow();
        answer.complete("42");
        loop.runNow();
        Task<Void> cancelled = loop.spawn("cancelled", () -> Step.sleep(Duration.ofSeconds(10)));
        loop.runNow();
        cancelled.cancel();
        loop.runNow();
        assertThat(waiter.promise().result()).isEqualTo("42");
        assertThat(failing.promise().isDone()).isTrue();

        List<TraceEvent> events = loop.journal().orElseThrow().snapshot().events();
        assertThat(kindsAndLabels(events, waiter.id()))
                .containsExactly(
                        "TASK_SPAWNED waiter",
                        "TASK_RUNNING waiter",
                        "TASK_WAITING sleep",
                        "TASK_READY waiter",
                        "TASK_RUNNING waiter",
                        "TASK_WAITING answer from the server",
                        "TASK_READY waiter",
                        "TASK_RUNNING waiter",
                        "TASK_DONE_VALUE waiter");
        assertThat(kindsAndLabels(events, failing.id()))
                .containsExactly("TASK_SPAWNED failing", "TASK_RUNNING failing", "TASK_DONE_FAILED failing");
        assertThat(kindsAndLabels(events, cancelled.id())).endsWith("TASK_DONE_CANCELLED cancelled");
        TraceEvent sleptUntil = events.stream()
                .filter(e -> e.subject() == waiter.id() && e.kind() == TraceEvent.Kind.TASK_READY)
                .findFirst()
                .orElseThrow();
        assertThat(sleptUntil.nanos())
                .as("the loop's clock")
                .isEqualTo(start + Duration.ofMillis(5).toNanos());
    }

    @Test
    void recordsEveryPhaseOfEveryIterationWithItsWork() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withTrace(1024));
        loop.scheduleAfter(0, TimeUnit.MILLISECONDS, () -> {});
        loop.spawn("one", () -> Step.done(null));
        loop.spawn("two", () -> Step.done(null));
        loop.runNow();
        List<TraceEvent> events = loop.journal().orElseThrow().snapshot().events();
        List<String> loopEvents = events.stream()
                .filter(e -> e.kind() == TraceEvent.Kind.ITERATION_START || e.kind() == TraceEvent.Kind.PHASE_END)
                .map(e -> e.kind() == TraceEvent.Kind.ITERATION_START
                        ? "start " + e.subject()
                        : LoopPhase.of((int) e.subject()) + "=" + e.value())
                .toList();
        assertThat(loopEvents)
                .as("phases that did no work write nothing")
                .containsExactly("start 0", "SELECT=0", "TIMERS=1", "RUN=2");
        loop.runNow();
        assertThat(loop.journal().orElseThrow().snapshot().events().subList(events.size(), events.size() + 3))
                .extracting(e -> e.kind() + " " + e.subject())
                .containsExactly("ITERATION_START 1", "PHASE_END 0", "PHASE_END 4");
    }

    @Test
    void aFullRingDropsTheOldestEntriesFirst() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withTrace(12));
        TraceJournal journal = loop.journal().orElseThrow();
        for (int i = 0; i < 10; i++) {
            loop.runNow(); // 3 entries per idle iteration: start, select, run
        }
        TraceSnapshot s = journal.snapshot();
        assertThat(journal.capacity()).isEqualTo(15);
        assertThat(s.recorded()).isEqualTo(30);
        assertThat(s.events()).hasSize(15);
        assertThat(s.dropped()).isEqualTo(15);
        assertThat(s.events().get(s.events().size() - 1).kind()).isEqualTo(TraceEvent.Kind.PHASE_END);
        assertThat(s.events().stream().filter(e -> e.kind() == TraceEvent.Kind.ITERATION_START))
                .extracting(TraceEvent::subject)
                .containsExactly(5L, 6L, 7L, 8L, 9L);
    }

    @Test
    void capacityIsRoundedUpToOneLessThanAPowerOfTwo() {
        assertThat(new TraceJournal(100, clock).capacity()).isEqualTo(127);
        assertThat(new TraceJournal(128, clock).capacity()).isEqualTo(255);
        assertThat(new TraceJournal(1, clock).capacity()).isEqualTo(1);
        assertThatThrownBy(() -> new TraceJournal(0, clock)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tooManyDistinctDescriptionsShareOneLabel() {
        EventLoop loop = loops.newLoop(LoopOptions.defaults().withClock(clock).withTrace(64));
        for (int i = 0; i < TraceJournal.MAX_LABELS + 10; i++) {
            loop.spawn("task " + i, () -> Step.done(null));
        }
        List<TraceEvent> last = loop.journal().orElseThrow().snapshot().events();
        assertThat(last.get(last.size() - 1).label()).isEqualTo(TraceJournal.TOO_MANY_LABELS);
        loop.runNow();
    }

    @Test
    void snapshotsTakenFromAnotherThreadWhileTheLoopWritesAreConsistent() throws Exception {
        EventLoop loop = new EventLoop(LoopOptions.defaults().withTrace(256));
        AtomicBoolean stop = new AtomicBoolean();
        loop.spawn("yielder", () -> stop.get() ? Step.done(null) : Step.yieldNow());
        Thread thread = loop.startThread();
        try {
            TraceJournal journal = loop.journal().orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            int checked = 0;
            while (checked < 200 && System.nanoTime() < deadline) {
                TraceSnapshot s = journal.snapshot();
                checkWellFormed(s.events());
                assertThat(s.events().size() + s.dropped()).isEqualTo(s.recorded());
                checked++;
            }
            assertThat(checked).isPositive();
        } finally {
            stop.set(true);
            loop.stop();
            thread.join(10_000);
            loop.close();
        }
    }

    /** Entries are in time order and every iteration's phases come in order, ending with run: nothing torn. */
    private static void checkWellFormed(List<TraceEvent> events) {
        long lastNanos = Long.MIN_VALUE;
        long lastPhase = -2; // unknown until the first iteration start
        for (TraceEvent e : events) {
            assertThat(e.nanos()).isGreaterThanOrEqualTo(lastNanos);
            lastNanos = e.nanos();
            if (e.kind() == TraceEvent.Kind.ITERATION_START) {
                assertThat(lastPhase).isIn(-2L, (long) LoopPhase.RUN.ordinal());
                lastPhase = -1;
            } else if (e.kind() == TraceEvent.Kind.PHASE_END && lastPhase > -2) {
                assertThat(e.subject()).isGreaterThan(lastPhase);
                lastPhase = e.subject();
            } else if (e.kind() != TraceEvent.Kind.PHASE_END) {
                assertThat(e.label()).isIn("yielder", "");
            }
        }
    }

    private static List<String> kindsAndLabels(List<TraceEvent> events, long taskId) {
        return events.stream()
                .filter(e -> e.subject() == taskId && e.kind().name().startsWith("TASK_"))
                .map(e -> e.kind() + " " + e.label())
                .toList();
    }
}
